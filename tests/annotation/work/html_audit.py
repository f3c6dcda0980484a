"""Find markup in a page that a browser would execute: event handlers, script URLs, scripts."""

from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
INERT_SCRIPT_TYPES = {"application/json"}


class ExecutableMarkupFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._inline_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.findings.append(f"<{tag}> has event handler {name}={value!r}")
            scheme = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:")):
                self.findings.append(f"<{tag}> has {name}={value!r}")
        if tag == "script":
            self._check_script(values)

    def _check_script(self, values: dict[str, str]) -> None:
        source = values.get("src", "")
        if source:
            # A path on this site is allowed (static files, the admin's translation catalog).
            if not source.startswith("/") or source.startswith("//"):
                self.findings.append(f"<script> loads {source!r}")
            return
        if values.get("type", "").lower() in INERT_SCRIPT_TYPES:
            return
        self._inline_script = ""

    def handle_data(self, data: str) -> None:
        if self._inline_script is not None:
            self._inline_script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline_script is not None:
            self.findings.append(f"inline <script>: {self._inline_script[:80]!r}")
            self._inline_script = None


def executable_markup(html: str) -> list[str]:
    """Return a description of each element or attribute in `html` that could run script."""
    finder = ExecutableMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.findings


def csp_forbids_inline_script(header: str) -> bool:
    """Return whether a Content-Security-Policy value blocks inline script and `javascript:` URLs.

    Script sources come from `script-src`, or from `default-src` when it is absent. Inline
    script runs if that list has 'unsafe-inline' (without a nonce or hash) or is missing.
    """
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [word.lower() for word in words[1:]]
    sources = directives.get("script-src", directives.get("default-src"))
    if sources is None:
        return False
    return "'unsafe-inline'" not in sources and "*" not in sources and "data:" not in sources
