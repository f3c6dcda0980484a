"""Two review rounds in the browser: a return and correction, a rejection, and the close."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from annotation.models import BatchStatus, ComparisonBatch, Judgment, ReviewRound, ReviewStatus
from leaderboards.models import Fit, FitStatus
from tests.annotation.work_setup import approved_expert, make_batch
from tests.browser.conftest import save_screenshot
from tests.experts.factories import TEST_PASSWORD, DomainApprovalFactory, DomainFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(browser: Browser, server: str, user: Any) -> Page:
    page = browser.new_context(viewport={"width": 1100, "height": 1000}).new_page()
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    return page


def judge_next(page: Page, server: str, slug: str, verdict_key: str, rationale: str) -> None:
    page.goto(f"{server}/work/domains/{slug}/next/")
    for radio_group in page.locator("fieldset.scale").all():
        radio_group.locator("input[type=radio]").nth(2).check()
    page.keyboard.press(verdict_key)
    page.fill("textarea[name=rationale]", rationale)
    page.click("#submit-judgment")


def decide_next(page: Page, server: str, slug: str, decision: str, comment: str = "") -> None:
    page.goto(f"{server}/work/review/domains/{slug}/next/")
    page.check(f"input[name=decision][value={decision}]")
    if comment:
        page.fill("textarea[name=comment]", comment)
    page.click("#decision-form button[type=submit]")


def test_two_rounds_return_reject_and_close(browser: Browser, live_server: Any) -> None:
    server = str(live_server)
    domain = DomainFactory(slug="poetry", name="Poetry")
    ReviewRound.objects.create(
        domain=domain, number=1, name="Peer review", requires_reviewer_role=False
    )
    ReviewRound.objects.create(domain=domain, number=2, name="Audit", requires_reviewer_role=True)
    batch = make_batch(domain, comparisons=2, required=1)
    author = approved_expert(domain)
    peer = approved_expert(domain)
    auditor = DomainApprovalFactory(domain=domain, is_reviewer=True).expert

    author_page = log_in(browser, server, author)
    judge_next(author_page, server, "poetry", "1", "A keeps the haiku form; B does not.")
    judge_next(author_page, server, "poetry", "2", "B has the better image of rain.")
    assert Judgment.objects.filter(review_status=ReviewStatus.PENDING).count() == 2

    peer_page = log_in(browser, server, peer)
    decide_next(peer_page, server, "poetry", "return", "Say which line breaks the form.")
    decide_next(peer_page, server, "poetry", "accept")
    save_screenshot(peer_page, "review-peer-done")

    author_page.goto(f"{server}/work/")
    returned = author_page.locator("ul.returned li")
    assert returned.count() == 1
    assert "Say which line breaks the form." in returned.inner_text()
    returned.locator("a").click()
    author_page.fill(
        "textarea[name=rationale]", "A keeps 5-7-5; B's second line has nine syllables."
    )
    author_page.click("#submit-judgment")

    decide_next(peer_page, server, "poetry", "accept")

    auditor_page = log_in(browser, server, auditor)
    decide_next(auditor_page, server, "poetry", "reject", "The rationale contradicts the verdict.")
    decide_next(auditor_page, server, "poetry", "accept")
    save_screenshot(auditor_page, "review-auditor-done")

    statuses = sorted(Judgment.objects.values_list("review_status", flat=True))
    batch.refresh_from_db()
    assert statuses == [ReviewStatus.ACCEPTED, ReviewStatus.REJECTED]
    assert batch.status == BatchStatus.CLOSED
    assert ComparisonBatch.objects.get(pk=batch.pk).unsettled_at_close == 0
    fit = Fit.objects.get(domain=domain, status=FitStatus.FINISHED)
    assert fit.judgment_count == 1
