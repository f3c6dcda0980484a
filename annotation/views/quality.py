"""Staff pages for agreement and expert quality, and the CSV export of judgments."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from annotation.judgment_export import (
    Cell,
    batch_judgment_export,
    csv_lines,
    domain_judgment_export,
)
from annotation.models import ComparisonBatch
from annotation.selectors_quality import (
    BatchNotFound,
    batch_agreement_get,
    batch_get,
    domain_agreement_get,
    expert_quality_list,
    reviewer_agreement_list,
)
from annotation.selectors_staff import batch_list_with_progress
from experts.models import Domain
from experts.permissions import staff_required
from experts.selectors.domain import DomainNotFound, domain_get_by_slug, domain_list

# Column headings of the expert table, in order, with their `?sort=` key; the two text
# columns come first and last.
EXPERT_COLUMNS = (
    ("Expert", "name"),
    ("Judgments", "judgments"),
    ("Consensus agreement", "consensus"),
    ("Gold accuracy", "gold"),
    ("Rejection rate", "rejection"),
    ("Median time (s)", "time"),
    ("Right-pick rate", "right_picks"),
    ("Position p-value", "position_p"),
    ("Flags", "flags"),
)
TEXT_COLUMNS = {"name", "flags"}


@dataclass(frozen=True)
class SortColumn:
    label: str
    sort: str
    is_current: bool
    is_descending: bool
    is_numeric: bool


def sort_columns(current: str) -> list[SortColumn]:
    """Column links: a column sorts ascending first, and descending when already ascending."""
    columns = []
    for label, key in EXPERT_COLUMNS:
        is_current = current.lstrip("-") == key
        is_descending = current.startswith("-")
        next_sort = f"-{key}" if is_current and not is_descending else key
        columns.append(
            SortColumn(label, next_sort, is_current, is_descending, key not in TEXT_COLUMNS)
        )
    return columns


def _domain_or_404(slug: str) -> Domain:
    try:
        return domain_get_by_slug(slug=slug)
    except DomainNotFound as error:
        raise Http404(error.message) from error


def _batch_or_404(batch_id: int) -> ComparisonBatch:
    try:
        return batch_get(batch_id=batch_id)
    except BatchNotFound as error:
        raise Http404(error.message) from error


@staff_required
def quality_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "annotation/staff/quality_index.html",
        {"domains": domain_list(), "batches": batch_list_with_progress()},
    )


@staff_required
def quality_domain(request: HttpRequest, slug: str) -> HttpResponse:
    domain = _domain_or_404(slug)
    table = expert_quality_list(domain=domain, sort=request.GET.get("sort", "name"))
    return render(
        request,
        "annotation/staff/quality_domain.html",
        {
            "domain": domain,
            "table": table,
            "columns": sort_columns(table.sort),
            "reviewers": reviewer_agreement_list(domain=domain),
            "agreement": domain_agreement_get(domain=domain),
        },
    )


@staff_required
def quality_batch_agreement(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(batch_id)
    return render(
        request,
        "annotation/staff/quality_batch.html",
        {"batch": batch, "agreement": batch_agreement_get(batch=batch)},
    )


@staff_required
def quality_domain_export(request: HttpRequest, slug: str) -> HttpResponse:
    domain = _domain_or_404(slug)
    return _csv_response(domain_judgment_export(domain=domain), f"{domain.slug}-judgments.csv")


@staff_required
def quality_batch_export(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(batch_id)
    return _csv_response(batch_judgment_export(batch=batch), f"batch-{batch.pk}-judgments.csv")


def _csv_response(rows: Sequence[Sequence[Cell]], file_name: str) -> HttpResponse:
    response = HttpResponse("".join(csv_lines(rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
