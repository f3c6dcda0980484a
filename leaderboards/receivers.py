"""Reactions of the leaderboards app to review decisions."""

from typing import Any

from leaderboards.services.snapshot import snapshots_mark_affected


def mark_snapshots_of_reversed_judgments(
    sender: Any, *, judgment_ids: list[int], **kwargs: Any
) -> None:
    """A judgment left the accepted set: flag every published snapshot that counted it."""
    snapshots_mark_affected(judgment_ids=judgment_ids)
