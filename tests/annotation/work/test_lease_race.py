"""One expert asking for work from two tabs at the same moment."""

import pytest
from django.db import connection

from annotation.models import Assignment, AssignmentStatus
from annotation.services.assignment import assignment_next
from tests.annotation.work.test_assignment import race
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory

ROUNDS = 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_at_once_get_one_lease() -> None:
    assert connection.vendor == "postgresql"
    domain = DomainFactory()
    expert = approved_expert(domain)
    doubled = 0
    for _ in range(ROUNDS):
        make_batch(domain, comparisons=2, required=1)

        race([expert, expert], lambda user: assignment_next(user=user, domain=domain))

        live = Assignment.objects.filter(expert=expert, status=AssignmentStatus.LEASED)
        doubled += int(live.count() > 1)
        live.update(status=AssignmentStatus.SUBMITTED)

    assert doubled == 0
