"""Reading import files: UTF-8 text, a content hash, and errors that list every bad line."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seal_platform.errors import InvalidInput

MAX_LISTED_PROBLEMS = 200


@dataclass(frozen=True)
class LineProblem:
    line: int
    problem: str


class ImportFileInvalid(InvalidInput):
    """A file with bad lines. Nothing of it is stored; the message lists the lines."""

    code = "import_file_invalid"

    def __init__(self, file_name: str, problems: list[LineProblem]) -> None:
        self.problems = problems
        listed = [f"  line {item.line}: {item.problem}" for item in problems[:MAX_LISTED_PROBLEMS]]
        if len(problems) > MAX_LISTED_PROBLEMS:
            listed.append(
                f"  ... and {len(problems) - MAX_LISTED_PROBLEMS} more bad lines "
                f"(the first {MAX_LISTED_PROBLEMS} are listed)"
            )
        message = (
            f"{file_name} was rejected and nothing was stored: {len(problems)} bad "
            f"line{'s' if len(problems) != 1 else ''}. Fix them and import the file again.\n"
            + "\n".join(listed)
        )
        super().__init__(message)


class ImportFileUnreadable(InvalidInput):
    code = "import_file_unreadable"


def read_text_file(path: Path) -> tuple[str, str]:
    """Return the file's text and the SHA-256 of its bytes."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ImportFileUnreadable(
            f"Cannot read {path}: {error.strerror}. Check the path and its permissions."
        ) from error
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ImportFileUnreadable(
            f"{path.name} is not UTF-8 text (invalid byte at line {line}). Save it as UTF-8 "
            "and import it again."
        ) from error
    return text, hashlib.sha256(content).hexdigest()


def jsonl_objects(text: str, *, file_name: str) -> list[tuple[int, dict[str, Any]]]:
    """Decode JSON Lines into (line number, object); any bad line raises ImportFileInvalid."""
    objects: list[tuple[int, dict[str, Any]]] = []
    problems: list[LineProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(
                LineProblem(number, f"malformed JSON ({error.msg} at column {error.colno})")
            )
            continue
        if not isinstance(value, dict):
            problems.append(
                LineProblem(number, f"expected a JSON object, found {type(value).__name__}")
            )
            continue
        objects.append((number, value))
    if problems:
        raise ImportFileInvalid(file_name, problems)
    return objects
