"""Import judgment files into a domain, all or nothing."""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from tqdm import tqdm

from annotation.battle_file import ParsedJudgment, parse_judgment_text
from annotation.import_file import read_text_file
from annotation.models import EvaluatedModel, Judgment, JudgmentImport
from annotation.models.judgment import ReviewStatus
from experts.models import Domain
from experts.services.domain import domain_get_or_create
from seal_platform.errors import Conflict

logger = logging.getLogger(__name__)

# Imports of at least this many judgments show a progress bar on stderr.
PROGRESS_THRESHOLD = 10_000
BULK_CREATE_BATCH_SIZE = 5_000
JUDGMENT_COLUMNS = (
    "domain_id",
    "comparison_id",
    "model_a_id",
    "model_b_id",
    "verdict",
    "judge",
    "expert_id",
    "judged_at",
    "review_status",
    "source_import_id",
    "source_line",
    "source_question_id",
    "is_gold",
    "dimension_scores",
    "rationale",
    "version",
    "created_at",
    "updated_at",
)


class JudgmentFileAlreadyImported(Conflict):
    code = "judgment_file_already_imported"

    def __init__(self, file_name: str, earlier: JudgmentImport) -> None:
        self.earlier = earlier
        super().__init__(
            f"{file_name} has the same content as {earlier.file_name}, imported into domain "
            f"{earlier.domain.slug!r} on {earlier.imported_at.isoformat()} (import "
            f"{earlier.pk}); nothing was stored. Import a different file, or choose another "
            "domain."
        )


@dataclass(frozen=True)
class JudgmentRow:
    """One judgment ready to insert, with database ids already resolved."""

    domain_id: int
    comparison_id: int | None
    model_a_id: int
    model_b_id: int
    verdict: str
    judge: str
    judged_at: datetime | None
    source_line: int
    source_question_id: str
    expert_id: int | None = None


def import_find_earlier(*, domain_slug: str, content_sha256: str) -> JudgmentImport | None:
    return (
        JudgmentImport.objects.select_related("domain")
        .filter(domain__slug=domain_slug, content_sha256=content_sha256)
        .first()
    )


def evaluated_models_get_or_create(*, names: Iterable[str]) -> dict[str, int]:
    """Return a name-to-id map, creating the models that are new."""
    wanted = sorted(set(names))
    EvaluatedModel.objects.bulk_create(
        [EvaluatedModel(name=name) for name in wanted], ignore_conflicts=True
    )
    return dict(EvaluatedModel.objects.filter(name__in=wanted).values_list("name", "id"))


def progress_bar(
    items: Sequence[JudgmentRow], stream: TextIO | None, description: str
) -> Iterable[JudgmentRow]:
    if stream is None or len(items) < PROGRESS_THRESHOLD:
        return items
    bar: Iterable[JudgmentRow] = tqdm(
        items, desc=description, unit=" judgments", file=stream, mininterval=0.5
    )
    return bar


def judgments_bulk_insert(
    *, rows: Sequence[JudgmentRow], source_import: JudgmentImport, progress: TextIO | None
) -> None:
    """Insert judgments with COPY on PostgreSQL, or batched INSERTs elsewhere.

    Must run inside the caller's transaction, so a failure stores none of them.
    """
    now = timezone.now()
    status = ReviewStatus.ACCEPTED
    shown = progress_bar(rows, progress, "storing")

    if connection.vendor == "postgresql":
        columns = ", ".join(JUDGMENT_COLUMNS)
        with connection.cursor() as cursor:
            # Check foreign keys row by row during COPY; deferring them to COMMIT queues one
            # trigger event per row and made COMMIT the slowest step.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cursor.copy(f"COPY annotation_judgment ({columns}) FROM STDIN") as copy:
                for row in shown:
                    copy.write_row(
                        (
                            row.domain_id,
                            row.comparison_id,
                            row.model_a_id,
                            row.model_b_id,
                            row.verdict,
                            row.judge,
                            row.expert_id,
                            row.judged_at,
                            status,
                            source_import.pk,
                            row.source_line,
                            row.source_question_id,
                            False,
                            "{}",
                            "",
                            1,
                            now,
                            now,
                        )
                    )
        return

    Judgment.objects.bulk_create(
        (
            Judgment(
                domain_id=row.domain_id,
                comparison_id=row.comparison_id,
                model_a_id=row.model_a_id,
                model_b_id=row.model_b_id,
                verdict=row.verdict,
                judge=row.judge,
                expert_id=row.expert_id,
                judged_at=row.judged_at,
                review_status=status,
                source_import=source_import,
                source_line=row.source_line,
                source_question_id=row.source_question_id,
            )
            for row in shown
        ),
        batch_size=BULK_CREATE_BATCH_SIZE,
    )


def import_record_create(
    *, domain: Domain, file_name: str, content_sha256: str, judgment_count: int
) -> JudgmentImport:
    """Create the import record; a concurrent import of the same content raises a conflict."""
    try:
        with transaction.atomic():
            return JudgmentImport.objects.create(
                domain=domain,
                file_name=file_name,
                content_sha256=content_sha256,
                judgment_count=judgment_count,
            )
    except IntegrityError:
        earlier = import_find_earlier(domain_slug=domain.slug, content_sha256=content_sha256)
        if earlier is None:
            raise
        raise JudgmentFileAlreadyImported(file_name, earlier) from None


def judgments_import_file(
    *, path: Path, domain_slug: str, progress: TextIO | None = None
) -> JudgmentImport:
    """Import a battle file into a domain, creating the domain and models that are new.

    The file is stored whole or not at all: any bad line raises ImportFileInvalid listing
    every bad line, and content already imported into the domain raises
    JudgmentFileAlreadyImported. Repeated lines are stored, since they are real repeated
    judgments.
    """
    text, content_sha256 = read_text_file(path)
    earlier = import_find_earlier(domain_slug=domain_slug, content_sha256=content_sha256)
    if earlier is not None:
        raise JudgmentFileAlreadyImported(path.name, earlier)
    parsed = parse_judgment_text(text, file_name=path.name)

    with transaction.atomic():
        domain = domain_get_or_create(slug=domain_slug)
        model_ids = evaluated_models_get_or_create(
            names=[name for item in parsed for name in (item.model_a, item.model_b)]
        )
        source_import = import_record_create(
            domain=domain,
            file_name=path.name,
            content_sha256=content_sha256,
            judgment_count=len(parsed),
        )
        rows = [_row_from_parsed(item, domain.id, model_ids) for item in parsed]
        judgments_bulk_insert(rows=rows, source_import=source_import, progress=progress)

    logger.info(
        "annotation.judgment_import.completed",
        extra={"import_id": source_import.pk, "domain": domain.slug, "count": len(rows)},
    )
    return source_import


def _row_from_parsed(
    item: ParsedJudgment, domain_id: int, model_ids: dict[str, int]
) -> JudgmentRow:
    return JudgmentRow(
        domain_id=domain_id,
        comparison_id=None,
        model_a_id=model_ids[item.model_a],
        model_b_id=model_ids[item.model_b],
        verdict=item.verdict,
        judge=item.judge,
        judged_at=item.judged_at,
        source_line=item.line,
        source_question_id=item.question_id,
    )
