"""Publish a finished fit as a snapshot, and mark snapshots that later reviews changed."""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from experts.models import Domain
from experts.services.application import require_staff
from leaderboards.judgment_ids import ranges_contain
from leaderboards.models import (
    SNAPSHOT_NOTE_MAX_LENGTH,
    Fit,
    FitStatus,
    Snapshot,
    SnapshotRating,
)
from seal_platform.errors import Conflict, InvalidInput

logger = logging.getLogger(__name__)

AFFECTED_SNAPSHOTS_SQL = """
SELECT snapshot.id
FROM leaderboards_snapshot AS snapshot
JOIN leaderboards_fit AS fit ON fit.id = snapshot.fit_id
WHERE snapshot.affected_at IS NULL AND EXISTS (
    SELECT 1
    FROM jsonb_array_elements(fit.judgment_id_ranges) AS run,
         unnest(%s::bigint[]) AS changed(id)
    WHERE changed.id BETWEEN (run->>0)::bigint AND (run->>1)::bigint
)
"""


class FitNotFinished(Conflict):
    code = "fit_not_finished"


class FitAlreadyPublished(Conflict):
    code = "fit_already_published"

    def __init__(self, message: str, *, snapshot: Snapshot) -> None:
        super().__init__(message)
        self.snapshot = snapshot


class SnapshotNoteTooLong(InvalidInput):
    code = "snapshot_note_too_long"


def _rating_copies(snapshot: Snapshot, fit: Fit) -> list[SnapshotRating]:
    return [
        SnapshotRating(
            snapshot=snapshot,
            dimension=rating.dimension,
            model_id=rating.model_id,
            model_name=rating.model.name,
            position=rating.position,
            rating=rating.rating,
            ci_lower=rating.ci_lower,
            ci_upper=rating.ci_upper,
            rank=rating.rank,
            component=rating.component,
            judgments=rating.judgments,
            wins=rating.wins,
            losses=rating.losses,
            ties=rating.ties,
            win_rate=rating.win_rate,
        )
        for rating in fit.ratings.select_related("model").order_by("dimension", "position")
    ]


def _check_publishable(fit: Fit) -> None:
    if fit.status != FitStatus.FINISHED:
        raise FitNotFinished(
            f"Fit {fit.pk} is {fit.status}, not finished, so it cannot be published. Wait for "
            "it to finish, or publish another fit of this domain."
        )
    existing = Snapshot.objects.filter(fit=fit).first()
    if existing is not None:
        raise FitAlreadyPublished(
            f"Fit {fit.pk} is already published as version {existing.version}. Each fit is "
            "published once; refit the domain to publish newer judgments.",
            snapshot=existing,
        )


def snapshot_publish(*, fit: Fit, staff_user: Any, note: str) -> Snapshot:
    """Publish a finished fit as the domain's next snapshot version (1, 2, ...).

    The domain row is locked so that versions are numbered one at a time; the unique
    constraints on (domain, version) and on fit back this up, so a double-clicked publish
    makes one snapshot and the second call raises FitAlreadyPublished.
    """
    require_staff(staff_user)
    cleaned_note = note.strip()
    if len(cleaned_note) > SNAPSHOT_NOTE_MAX_LENGTH:
        raise SnapshotNoteTooLong(
            f"The note has {len(cleaned_note)} characters; keep it to "
            f"{SNAPSHOT_NOTE_MAX_LENGTH} or fewer.",
            fields={"note": [f"At most {SNAPSHOT_NOTE_MAX_LENGTH} characters."]},
        )

    with transaction.atomic():
        Domain.objects.select_for_update().get(pk=fit.domain_id)
        locked = Fit.objects.select_for_update().get(pk=fit.pk)
        _check_publishable(locked)
        latest = Snapshot.objects.filter(domain_id=locked.domain_id).aggregate(Max("version"))
        snapshot = Snapshot.objects.create(
            domain_id=locked.domain_id,
            version=(latest["version__max"] or 0) + 1,
            fit=locked,
            note=cleaned_note,
            published_at=timezone.now(),
            published_by=staff_user,
            fitted_at=locked.finished_at or locked.created_at,
            judgment_count=locked.judgment_count,
            judgment_ids_sha256=locked.judgment_ids_sha256,
            seed=locked.seed,
            bootstrap_rounds=locked.bootstrap_rounds,
            code_version=locked.code_version,
            warnings=locked.warnings,
            dimensions=locked.dimensions,
            pair_counts=locked.pair_counts,
        )
        SnapshotRating.objects.bulk_create(_rating_copies(snapshot, locked))
    logger.info(
        "leaderboards.snapshot.published",
        extra={"snapshot_id": snapshot.pk, "fit_id": locked.pk, "version": snapshot.version},
    )
    return snapshot


def _affected_snapshot_ids(judgment_ids: list[int]) -> list[int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(AFFECTED_SNAPSHOTS_SQL, [judgment_ids])
            return [row[0] for row in cursor.fetchall()]
    candidates = Snapshot.objects.filter(affected_at__isnull=True).values_list(
        "pk", "fit__judgment_id_ranges"
    )
    return [
        snapshot_id
        for snapshot_id, ranges in candidates
        if any(ranges_contain(ranges, judgment_id) for judgment_id in judgment_ids)
    ]


def snapshots_mark_affected(*, judgment_ids: Iterable[int]) -> int:
    """Mark every published snapshot whose fit counted one of these judgments as affected.

    Review calls this when it reverses a decision on judgments. A snapshot already marked
    keeps its first mark. Runs inside the caller's transaction if there is one. Returns the
    number of snapshots newly marked.
    """
    changed = sorted({int(judgment_id) for judgment_id in judgment_ids})
    if not changed:
        return 0
    with transaction.atomic():
        snapshot_ids = _affected_snapshot_ids(changed)
        marked = Snapshot.objects.filter(pk__in=snapshot_ids, affected_at__isnull=True).update(
            affected_at=timezone.now()
        )
    if marked:
        logger.info(
            "leaderboards.snapshot.marked_affected",
            extra={"snapshot_count": marked, "judgment_count": len(changed)},
        )
    return marked
