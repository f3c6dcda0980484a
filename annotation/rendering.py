"""Render untrusted model output and prompts as safe HTML.

Markdown is parsed with raw HTML disabled (markdown-it-py escapes it as text), fenced code is
highlighted with Pygments, and the result goes through nh3 (the Ammonia sanitizer) with a
small allow-list, which also drops `javascript:` and other non-web link schemes. The page's
Content Security Policy forbids inline script as a second layer.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
    "strong", "em", "code", "pre", "span", "a", "table", "thead", "tbody", "tr", "th", "td",
    "del", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "div": {"class"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
CODE_FORMATTER = HtmlFormatter(nowrap=True)


def _highlight(code: str, language: str, attributes: str) -> str:
    try:
        lexer = get_lexer_by_name(language.strip()) if language.strip() else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""
    # Output that starts with <pre> is used as it is, instead of being wrapped again.
    return f'<pre class="highlight"><code>{highlight(code, lexer, CODE_FORMATTER)}</code></pre>'


MARKDOWN = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable("table")


def render_untrusted_markdown(text: str) -> SafeString:
    """Return sanitized HTML for Markdown written by a model or an expert."""
    html = MARKDOWN.render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitized by nh3 just above)


def highlight_stylesheet() -> str:
    """CSS for the Pygments classes inside highlighted code blocks."""
    return str(HtmlFormatter().get_style_defs(".highlight"))
