"""Gold items for a domain's qualification test, taken from comparisons experts agreed on."""

from django.db import transaction
from django.db.models import Count

from annotation.models import Comparison, Judgment, Verdict
from experts.models import Domain, GoldItem, QualificationTest

MIN_AGREEING_JUDGES = 2


def gold_items_from_consensus(*, source: Domain, test: QualificationTest, limit: int) -> int:
    """Add up to `limit` gold items: comparisons of `source` that every judge called alike.

    A comparison qualifies when at least MIN_AGREEING_JUDGES judges judged it and all of them
    chose the same side (ties and "both bad" never make a gold answer). Comparisons already
    used by the test are skipped, so running this again adds nothing new. Returns the count.
    """
    grouped = (
        Judgment.objects.filter(domain=source, comparison__isnull=False)
        .values("comparison_id")
        .annotate(judges=Count("id"), verdicts=Count("verdict", distinct=True))
        .filter(judges__gte=MIN_AGREEING_JUDGES, verdicts=1)
        .order_by("comparison_id")
    )
    existing = set(test.items.values_list("prompt_text", "response_a_text", "response_b_text"))
    created = 0
    with transaction.atomic():
        for row in grouped:
            if created >= limit:
                break
            verdict = (
                Judgment.objects.filter(comparison_id=row["comparison_id"])
                .values_list("verdict", flat=True)
                .first()
            )
            if verdict not in (Verdict.A_BETTER, Verdict.B_BETTER):
                continue
            comparison = Comparison.objects.select_related(
                "prompt", "response_a", "response_b"
            ).get(pk=row["comparison_id"])
            key = (comparison.prompt.text, comparison.response_a.text, comparison.response_b.text)
            if key in existing:
                continue
            GoldItem.objects.create(
                test=test,
                prompt_text=key[0],
                response_a_text=key[1],
                response_b_text=key[2],
                correct_verdict=verdict,
            )
            existing.add(key)
            created += 1
    return created
