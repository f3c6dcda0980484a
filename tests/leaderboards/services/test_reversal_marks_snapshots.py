"""A judgment that leaves the accepted set marks every published snapshot that counted it."""

import pytest

from annotation.services.judgment_submit import judgment_submit
from annotation.services.review import review_decide, review_next
from leaderboards.models import Snapshot
from leaderboards.services.fit import fit_create
from leaderboards.services.snapshot import snapshot_publish
from tests.annotation.review.test_review_flow import BETTER, assignment_of, judged, reviewer_in
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def test_edit_after_publication_marks_the_snapshot() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=3, required=1)
    author = approved_expert(domain)
    changed = judged(domain, author)
    judged(domain, author)
    reviewer = reviewer_in(domain)
    for _ in range(2):
        task = review_next(reviewer=reviewer, domain=domain)
        assert task is not None
        review_decide(reviewer=reviewer, task_id=task.pk, decision="accept")
    fit = fit_create(domain=domain, bootstrap_rounds=0, seed=1)
    published = snapshot_publish(fit=fit, staff_user=StaffUserFactory(), note="first")
    assert published.affected_at is None

    judgment_submit(user=author, assignment_id=assignment_of(changed), data=BETTER)

    assert Snapshot.objects.get(pk=published.pk).affected_at is not None
