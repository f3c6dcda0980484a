"""Qualification pages: start, take, save, submit and see the total, with untrusted text
printed as text."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from experts.models import (
    AttemptStatus,
    DomainApplication,
    GoldItem,
    QualificationAttempt,
    QualificationTest,
)
from experts.services.qualification import attempt_start
from tests.experts.qualification.conftest import (
    answers_with_correct_count,
    ended_attempt,
    store_answers,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def client(applicant: User) -> Client:
    client = Client()
    client.force_login(applicant)
    return client


@pytest.fixture
def attempt(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> QualificationAttempt:
    return attempt_start(application=application, user=applicant)


@pytest.mark.usefixtures("items")
def test_start_page_shows_attempts_left(client: Client, application: DomainApplication) -> None:
    response = client.get(f"/experts/applications/{application.pk}/qualification/")

    assert response.status_code == 200
    assert "Attempts used: 0 of 2." in response.text
    assert "Start attempt 1" in response.text


@pytest.mark.usefixtures("items")
def test_start_page_post_opens_attempt(client: Client, application: DomainApplication) -> None:
    response = client.post(f"/experts/applications/{application.pk}/qualification/")

    attempt = QualificationAttempt.objects.get(application=application)
    assert response.status_code == 302
    assert response["Location"] == f"/experts/attempts/{attempt.pk}/"


def test_start_page_shows_waiting_period(
    client: Client, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_at = timezone.now() - timedelta(days=1)
    ended_attempt(
        application, number=1, status=AttemptStatus.FAILED, ended_at=ended_at, items=items
    )

    response = client.get(f"/experts/applications/{application.pk}/qualification/")

    opens_at = ended_at + timedelta(days=14)
    whole_minute = opens_at.replace(second=0, microsecond=0)
    if whole_minute < opens_at:
        whole_minute += timedelta(minutes=1)
    assert (
        f'Your next attempt opens at <time datetime="{opens_at.isoformat()}">'
        f"{whole_minute:%Y-%m-%d %H:%M} UTC</time>."
    ) in response.text


def test_start_page_post_in_waiting_period_shows_error(
    client: Client, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_at = timezone.now() - timedelta(days=1)
    ended_attempt(
        application, number=1, status=AttemptStatus.FAILED, ended_at=ended_at, items=items
    )

    response = client.post(f"/experts/applications/{application.pk}/qualification/")

    assert response.status_code == 409
    assert f"opens at {(ended_at + timedelta(days=14)).isoformat()}" in response.text
    assert QualificationAttempt.objects.count() == 1


def test_attempt_page_escapes_untrusted_text(
    client: Client,
    applicant: User,
    application: DomainApplication,
    qualification_test: QualificationTest,
) -> None:
    for index in range(4):
        GoldItem.objects.create(
            test=qualification_test,
            prompt_text=f"{SCRIPT} prompt {index}",
            response_a_text=f"{SCRIPT} A {index}",
            response_b_text=f"<b>B</b> {index}",
            correct_verdict="a",
        )
    attempt = attempt_start(application=application, user=applicant)

    response = client.get(f"/experts/attempts/{attempt.pk}/")

    assert SCRIPT not in response.text
    assert "<b>B</b>" not in response.text
    assert '<div class="response">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; prompt' in (
        response.text
    )


def test_attempt_page_shows_both_responses(client: Client, attempt: QualificationAttempt) -> None:
    response = client.get(f"/experts/attempts/{attempt.pk}/")

    assert response.text.count('class="response"') == 12


def test_attempt_page_checks_saved_answer(client: Client, attempt: QualificationAttempt) -> None:
    store_answers(attempt, {2: "tie"})

    response = client.get(f"/experts/attempts/{attempt.pk}/")

    assert 'name="answer_2" value="tie" checked' in response.text
    assert response.text.count(" checked") == 1


def test_save_page_stores_answers(client: Client, attempt: QualificationAttempt) -> None:
    response = client.post(
        f"/experts/attempts/{attempt.pk}/answers/", {"answer_1": "b", "answer_4": "both_bad"}
    )

    assert response.status_code == 302
    assert dict(attempt.items.values_list("position", "answer")) == {
        1: "b",
        2: "",
        3: "",
        4: "both_bad",
    }


def test_submit_page_with_blank_items_keeps_answers(
    client: Client, attempt: QualificationAttempt
) -> None:
    response = client.post(f"/experts/attempts/{attempt.pk}/submit/", {"answer_1": "b"})

    assert response.status_code == 400
    assert "Items 2, 3, 4 have no answer." in response.text
    assert attempt.items.get(position=1).answer == "b"


def test_submit_page_marks_blank_items(client: Client, attempt: QualificationAttempt) -> None:
    response = client.post(f"/experts/attempts/{attempt.pk}/submit/", {"answer_1": "b"})

    assert "Choose a verdict for item 1." not in response.text
    assert "Choose a verdict for item 4." in response.text


def test_submit_page_shows_total_and_pass_mark(
    client: Client, attempt: QualificationAttempt
) -> None:
    posted = {
        f"answer_{position}": verdict
        for position, verdict in answers_with_correct_count(attempt, 3).items()
    }

    response = client.post(f"/experts/attempts/{attempt.pk}/submit/", posted, follow=True)

    assert "You got 3 of 4 right. The pass mark is 75%." in response.text
    assert "Passed" in response.text


def test_abandoned_attempt_page_says_it_failed(
    client: Client, attempt: QualificationAttempt
) -> None:
    QualificationAttempt.objects.filter(pk=attempt.pk).update(
        expires_at=timezone.now() - timedelta(minutes=5)
    )

    response = client.get(f"/experts/attempts/{attempt.pk}/")

    assert "so it counts as a failed attempt" in response.text
    assert QualificationAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.ABANDONED


def test_graded_attempt_page_hides_answers(client: Client, attempt: QualificationAttempt) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 1))
    client.post(f"/experts/attempts/{attempt.pk}/submit/")

    response = client.get(f"/experts/attempts/{attempt.pk}/")

    assert 'type="radio"' not in response.text
    assert "You got 1 of 4 right." in response.text


def test_staff_page_shows_extra_attempt_form(
    staff_user: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    client = Client()
    client.force_login(staff_user)

    response = client.get(f"/experts/staff/applications/{application.pk}/extra-attempt/")

    assert response.status_code == 200
    assert "Attempts used: 0 of 2, including 0 extra granted by staff." in response.text
    assert 'name="reason"' in response.text


def test_application_page_links_to_test(client: Client, attempt: QualificationAttempt) -> None:
    response = client.get(f"/experts/applications/{attempt.application_id}/")

    assert f'href="/experts/applications/{attempt.application_id}/qualification/"' in response.text
    assert f'href="/experts/attempts/{attempt.pk}/">Attempt 1</a>' in response.text


def test_staff_application_page_has_grant_form(
    staff_user: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    client = Client()
    client.force_login(staff_user)

    response = client.get(f"/experts/staff/applications/{application.pk}/")

    assert f'action="/experts/staff/applications/{application.pk}/extra-attempt/"' in response.text
