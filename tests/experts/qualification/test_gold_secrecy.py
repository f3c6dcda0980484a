"""Gold verdicts never reach the applicant, in any API response or page of a whole attempt.

The test has three items whose gold verdicts are "b", "tie" and "both_bad", and the applicant
answers "a" everywhere. Any of the three gold values in a response can then only come from the
answer key, and so can any mention of "correct" before grading.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from experts.models import DomainApplication, QualificationAttempt, QualificationTest
from tests.experts.factories import QualificationTestFactory
from tests.experts.qualification.conftest import api_client, gold_items

pytestmark = pytest.mark.django_db

SECRET_VERDICTS = ["b", "tie", "both_bad"]
CORRECTNESS_WORDS = re.compile(r"correct|score|right|wrong|gold", re.IGNORECASE)
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def without_csrf_tokens(html: str) -> str:
    """Return the page without CSRF tokens, whose random letters could spell a searched word."""
    return CSRF_TOKEN.sub("", html)


@pytest.fixture
def secret_test(application: DomainApplication) -> QualificationTest:
    test: QualificationTest = QualificationTestFactory(
        domain=application.domain,
        item_count=3,
        pass_mark=0.6,
        max_attempts=2,
        wait_between_attempts=timedelta(days=14),
    )
    gold_items(test, SECRET_VERDICTS)
    return test


@pytest.fixture
def api_bodies(
    secret_test: QualificationTest, applicant: User, application: DomainApplication
) -> dict[str, str]:
    """Run a whole attempt through the API and return each response body by step."""
    client = api_client(applicant)
    started = client.post(f"/api/experts/applications/{application.pk}/attempts/")
    attempt_url = f"/api/experts/attempts/{started.json()['id']}/"
    bodies = {"start": started.content.decode()}
    bodies["fetch"] = client.get(attempt_url).content.decode()
    bodies["save_one"] = client.put(
        attempt_url + "answers/", {"answers": {"1": "a"}}, format="json"
    ).content.decode()
    bodies["submit_blank"] = client.post(attempt_url + "submit/").content.decode()
    bodies["save_rest"] = client.put(
        attempt_url + "answers/", {"answers": {"2": "a", "3": "a"}}, format="json"
    ).content.decode()
    bodies["fetch_full"] = client.get(attempt_url).content.decode()
    bodies["submit"] = client.post(attempt_url + "submit/").content.decode()
    bodies["fetch_graded"] = client.get(attempt_url).content.decode()
    return bodies


@pytest.fixture
def page_bodies(
    secret_test: QualificationTest, applicant: User, application: DomainApplication
) -> dict[str, str]:
    """Run a whole attempt through the pages and return each page's HTML by step."""
    client = Client()
    client.force_login(applicant)
    started = client.post(f"/experts/applications/{application.pk}/qualification/", follow=True)
    attempt = QualificationAttempt.objects.get(application=application)
    attempt_url = f"/experts/attempts/{attempt.pk}/"
    saved = client.post(attempt_url + "answers/", {"answer_1": "a"}, follow=True)
    blank = client.post(attempt_url + "submit/")
    submitted = client.post(
        attempt_url + "submit/", {"answer_2": "a", "answer_3": "a"}, follow=True
    )
    pages = {"start": started, "save_one": saved, "submit_blank": blank, "submit": submitted}
    bodies = {step: without_csrf_tokens(response.text) for step, response in pages.items()}
    return bodies


MID_ATTEMPT_API = ["start", "fetch", "save_one", "submit_blank", "save_rest", "fetch_full"]


def test_api_bodies_never_hold_gold_verdicts(api_bodies: dict[str, str]) -> None:
    for step, body in api_bodies.items():
        for verdict in SECRET_VERDICTS:
            assert f'"{verdict}"' not in body, f"gold verdict {verdict!r} in {step}"


def test_api_mid_attempt_bodies_never_mention_correctness(api_bodies: dict[str, str]) -> None:
    for step in MID_ATTEMPT_API:
        assert CORRECTNESS_WORDS.search(api_bodies[step]) is None, step


def test_blank_items_error_names_positions_only(api_bodies: dict[str, str]) -> None:
    assert api_bodies["submit_blank"] == (
        '{"error":{"code":"attempt_items_blank","message":"Items 2, 3 have no answer. Choose a '
        'verdict for every item, then submit again.","fields":{"answers":["Item 2 has no '
        'answer.","Item 3 has no answer."]}}}'
    )


def test_graded_api_body_gives_total_only(api_bodies: dict[str, str]) -> None:
    for step in ["submit", "fetch_graded"]:
        assert '"items":[]' in api_bodies[step], step
        assert '"result":{"correct_count":0,"item_count":3,"pass_mark":0.6}' in api_bodies[step]


def test_graded_api_body_has_one_correctness_key(api_bodies: dict[str, str]) -> None:
    for step in ["submit", "fetch_graded"]:
        assert CORRECTNESS_WORDS.findall(api_bodies[step]) == ["correct"], step


def test_pages_never_check_a_gold_verdict(page_bodies: dict[str, str]) -> None:
    for step, body in page_bodies.items():
        for verdict in SECRET_VERDICTS:
            assert f'value="{verdict}" checked' not in body, f"{verdict!r} checked in {step}"


def test_pages_never_mention_correctness_before_grading(page_bodies: dict[str, str]) -> None:
    for step in ["start", "save_one", "submit_blank"]:
        assert CORRECTNESS_WORDS.search(page_bodies[step]) is None, step


def test_result_page_shows_total_and_pass_mark(page_bodies: dict[str, str]) -> None:
    assert "You got 0 of 3 right. The pass mark is 60%." in page_bodies["submit"]


def test_result_page_lists_no_items(page_bodies: dict[str, str]) -> None:
    assert 'class="response"' not in page_bodies["submit"]
