"""Expert vetting in headless Chromium: sign-up, credential, review, test, approval, revocation.

Each test walks one path through the real pages, with the applicant and the staff member in
separate browser contexts. Only the domain, its qualification test with gold items and the
staff user are set up directly; everything else happens by clicking and typing.
"""

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from experts.models import (
    ApprovalStatus,
    AttemptStatus,
    Credential,
    CredentialStatus,
    Domain,
    DomainApproval,
    ExpertProfile,
    QualificationAttempt,
    QualificationTest,
)
from experts.services.domain import domain_get_or_create
from tests.browser.conftest import save_screenshot
from tests.browser.vetting_steps import (
    VERIFY_NOTE,
    Applicant,
    Document,
    Staff,
    applicant_reaches_pending_credential,
    apply_for,
    claim_application,
    fill_qualifications,
    log_in,
    make_pdf,
    new_page,
    open_application_from_queue,
    sign_up,
    staff_approves,
    staff_verifies,
    take_test,
    upload_credential,
)
from tests.experts.factories import TEST_PASSWORD, QualificationTestFactory, StaffUserFactory
from tests.experts.qualification.conftest import GOLD_VERDICTS, gold_items, wrong_verdict

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOMAIN_NAME = "Backend engineering"
WAIT_BETWEEN_ATTEMPTS = timedelta(days=14)
APPROVAL_VALID_FOR = timedelta(days=365)
REVOKE_REASON = "Judgments copied from another expert's submissions."


@pytest.fixture(autouse=True)
def private_storage(settings: Settings, tmp_path: Path) -> Path:
    """Keep uploaded documents in a temporary folder, and hash passwords fast."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "private"


@pytest.fixture
def domain() -> Domain:
    return domain_get_or_create(slug="backend-engineering", name=DOMAIN_NAME)


@pytest.fixture
def gold_answers(domain: Domain) -> dict[str, str]:
    """Create the domain's four-item test and return each gold prompt's correct verdict."""
    test: QualificationTest = QualificationTestFactory(
        domain=domain,
        item_count=4,
        pass_mark=0.75,
        max_attempts=2,
        wait_between_attempts=WAIT_BETWEEN_ATTEMPTS,
        attempt_duration=timedelta(hours=2),
        approval_valid_for=APPROVAL_VALID_FOR,
    )
    return {item.prompt_text: item.correct_verdict for item in gold_items(test, GOLD_VERDICTS)}


@pytest.fixture
def staff() -> Staff:
    user: User = StaffUserFactory(username="vetting-staff")
    return Staff(username=user.username, password=TEST_PASSWORD)


@pytest.fixture
def applicant() -> Applicant:
    return Applicant(username="ana-pereira", display_name="Ana Pereira")


@pytest.fixture
def document(tmp_path: Path) -> Document:
    return make_pdf(tmp_path)


@pytest.fixture
def staff_page(browser: Browser) -> Iterator[Page]:
    """A page in its own browser context, so staff and applicant keep separate sessions."""
    page = new_page(browser)
    yield page
    page.context.close()


def shown_to_the_minute(moment: datetime) -> str:
    """Format a time as the start page does: rounded up to the whole minute, in UTC."""
    whole = moment.replace(second=0, microsecond=0)
    if whole < moment:
        whole += timedelta(minutes=1)
    return f"{whole:%Y-%m-%d %H:%M} UTC"


def reach_approval(
    page: Page,
    staff_page: Page,
    base_url: str,
    *,
    applicant: Applicant,
    staff: Staff,
    document: Document,
    answers: dict[str, str],
) -> None:
    """Walk the applicant from sign-up to a passed test and have staff approve them."""
    applicant_reaches_pending_credential(page, base_url, applicant, DOMAIN_NAME, document)
    staff_verifies(staff_page, base_url, staff, applicant, document)
    page.reload()
    take_test(page, answers)
    staff_approves(staff_page)


@pytest.mark.usefixtures("gold_answers")
def test_applicant_uploads_pending_credential(
    page: Page,
    live_server: LiveServer,
    applicant: Applicant,
    document: Document,
    private_storage: Path,
) -> None:
    sign_up(page, live_server.url, applicant)
    expect(page.locator(".message.success")).to_have_text(
        "Welcome. Fill in your qualifications, then apply."
    )
    save_screenshot(page, "vetting-1a-signed-up")

    fill_qualifications(page)
    save_screenshot(page, "vetting-1b-qualifications-saved")
    apply_for(page, DOMAIN_NAME)
    expect(page.locator(".message.success")).to_have_text(
        f"Applied for {DOMAIN_NAME}. Next, upload a credential for staff to verify."
    )
    save_screenshot(page, "vetting-1c-applied")

    upload_credential(page, document)
    rows = page.locator("#credentials table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator(".badge")).to_have_text("Pending")
    expect(page.locator("#credentials .next-step")).to_contain_text("Staff check each document")
    expect(page.locator("#qualification .next-step")).to_have_text(
        "The test opens once staff verify one of your credentials."
    )
    save_screenshot(page, "vetting-1d-credential-pending")

    profile = ExpertProfile.objects.get(user__username=applicant.username)
    assert profile.years_of_practice == 8
    assert profile.languages == "English, Portuguese"
    credential = Credential.objects.get()
    assert credential.owner.username == applicant.username
    assert credential.status == CredentialStatus.PENDING
    assert credential.original_name == "diploma.pdf"
    assert credential.sha256 == hashlib.sha256(document.content).hexdigest()
    stored = private_storage / "credentials" / credential.stored_name
    assert stored.read_bytes() == document.content


@pytest.mark.usefixtures("gold_answers")
def test_staff_claims_opens_document_and_verifies(
    page: Page,
    staff_page: Page,
    live_server: LiveServer,
    applicant: Applicant,
    staff: Staff,
    document: Document,
) -> None:
    applicant_reaches_pending_credential(page, live_server.url, applicant, DOMAIN_NAME, document)

    log_in(staff_page, live_server.url, username=staff.username, password=staff.password)
    open_application_from_queue(staff_page, applicant)
    save_screenshot(staff_page, "vetting-2a-staff-application")
    claim_application(staff_page)
    expect(staff_page.get_by_text(f"Assigned to: {staff.username}")).to_be_visible()

    row = staff_page.locator("table.data tbody tr", has_text=document.title)
    with (
        staff_page.expect_response(re.compile(r"/document/$")) as response_info,
        staff_page.expect_download() as download_info,
    ):
        row.get_by_role("link", name="diploma.pdf").click()
    response = response_info.value
    headers = response.all_headers()
    assert response.status == 200
    assert headers["content-disposition"] == 'attachment; filename="diploma.pdf"'
    assert headers["content-type"] == "application/pdf"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "private, no-store"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert download_info.value.suggested_filename == "diploma.pdf"
    assert Path(download_info.value.path()).read_bytes() == document.content
    save_screenshot(staff_page, "vetting-2b-claimed")

    credential = Credential.objects.get()
    row.get_by_role("link", name="Verify or reject").click()
    expect(staff_page.get_by_role("link", name="diploma.pdf")).to_have_attribute(
        "href", f"/experts/credentials/{credential.pk}/document/"
    )
    staff_page.get_by_label("Note (optional)").fill(VERIFY_NOTE)
    save_screenshot(staff_page, "vetting-2c-review")
    staff_page.get_by_role("button", name="Verify").click()
    expect(staff_page.locator(".message.success")).to_have_text(
        f"Credential {credential.pk} ({document.title}) is verified."
    )
    expect(row.locator(".badge")).to_have_text("Verified")
    expect(row).to_contain_text(VERIFY_NOTE)
    save_screenshot(staff_page, "vetting-2d-verified")

    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VERIFIED
    assert credential.reviewed_by is not None
    assert credential.reviewed_by.username == staff.username
    assert credential.review_reason == VERIFY_NOTE
    page.reload()
    expect(page.locator("#credentials .badge")).to_have_text("Verified")
    expect(page.get_by_role("link", name="Open the qualification test")).to_have_class("button")


def test_applicant_passes_test_and_staff_approves(
    page: Page,
    staff_page: Page,
    live_server: LiveServer,
    domain: Domain,
    gold_answers: dict[str, str],
    applicant: Applicant,
    staff: Staff,
    document: Document,
) -> None:
    applicant_reaches_pending_credential(page, live_server.url, applicant, DOMAIN_NAME, document)
    staff_verifies(staff_page, live_server.url, staff, applicant, document)
    page.reload()

    take_test(page, gold_answers)
    expect(page.locator("h1 .badge")).to_have_text("Passed")
    expect(page.get_by_text("You got 4 of 4 right. The pass mark is 75%.")).to_be_visible()
    expect(page.locator("section[id^=item-]")).to_have_count(0)
    expect(page.locator("input[type=radio]")).to_have_count(0)
    for prompt in gold_answers:
        expect(page.locator("main")).not_to_contain_text(prompt)
    save_screenshot(page, "vetting-3a-passed")

    staff_page.reload()
    expect(staff_page.locator("#decision li.done")).to_have_count(2)
    staff_approves(staff_page)
    expect(staff_page.locator(".message.success")).to_have_text(
        f"{applicant.username} is approved in {DOMAIN_NAME}."
    )
    save_screenshot(staff_page, "vetting-3b-approved")

    page.get_by_role("link", name="My account").click()
    approval = DomainApproval.objects.get(expert__username=applicant.username, domain=domain)
    row = page.locator("#work-access tbody tr", has_text=DOMAIN_NAME)
    expect(row.locator(".badge").first).to_have_text("Active")
    expect(row.locator("td.date")).to_have_text(f"{approval.expires_at:%Y-%m-%d}")
    expect(row.locator("td").nth(3)).to_have_text("allowed")
    save_screenshot(page, "vetting-3c-domain-allowed")
    assert approval.status == ApprovalStatus.ACTIVE
    assert approval.expires_at - approval.approved_at == APPROVAL_VALID_FOR


def test_failed_attempt_shows_total_and_wait(
    page: Page,
    staff_page: Page,
    live_server: LiveServer,
    gold_answers: dict[str, str],
    applicant: Applicant,
    staff: Staff,
    document: Document,
) -> None:
    applicant_reaches_pending_credential(page, live_server.url, applicant, DOMAIN_NAME, document)
    staff_verifies(staff_page, live_server.url, staff, applicant, document)
    page.reload()
    # A second tab left open on the start page, from which the applicant later tries again.
    second_tab = page.context.new_page()
    second_tab.goto(page.url)
    second_tab.get_by_role("link", name="Open the qualification test").click()

    take_test(page, {prompt: wrong_verdict(verdict) for prompt, verdict in gold_answers.items()})
    expect(page.locator("h1 .badge")).to_have_text("Failed")
    expect(page.get_by_text("You got 0 of 4 right. The pass mark is 75%.")).to_be_visible()
    expect(page.locator(".next-step")).to_have_text(
        "You did not reach the pass mark. The test page shows whether and when you can try again."
    )
    expect(page.locator("section[id^=item-]")).to_have_count(0)
    expect(page.locator("input[type=radio]")).to_have_count(0)
    for prompt in gold_answers:
        expect(page.locator("main")).not_to_contain_text(prompt)
    save_screenshot(page, "vetting-4a-failed")

    attempt = QualificationAttempt.objects.get()
    assert attempt.status == AttemptStatus.FAILED
    assert attempt.finished_at is not None
    opens_at = attempt.finished_at + WAIT_BETWEEN_ATTEMPTS
    page.get_by_role("link", name="Back to the test").click()
    expect(page.locator(".next-step")).to_have_text(
        f"Your next attempt opens at {shown_to_the_minute(opens_at)}."
    )
    expect(page.locator(".next-step time")).to_have_attribute("datetime", opens_at.isoformat())
    expect(page.get_by_role("button", name=re.compile(r"^Start attempt"))).to_have_count(0)
    save_screenshot(page, "vetting-4b-waiting-period")

    second_tab.get_by_role("button", name="Start attempt 1").click()
    expect(second_tab.locator(".message.error")).to_have_text(
        f"The next qualification attempt for application {attempt.application_id} opens at "
        f"{opens_at.isoformat()}. Start it then."
    )
    expect(second_tab.locator(".next-step")).to_have_text(
        f"Your next attempt opens at {shown_to_the_minute(opens_at)}."
    )
    save_screenshot(second_tab, "vetting-4c-second-start-refused")
    assert QualificationAttempt.objects.count() == 1


def test_revocation_shows_on_next_page_load(
    page: Page,
    staff_page: Page,
    live_server: LiveServer,
    domain: Domain,
    gold_answers: dict[str, str],
    applicant: Applicant,
    staff: Staff,
    document: Document,
) -> None:
    reach_approval(
        page,
        staff_page,
        live_server.url,
        applicant=applicant,
        staff=staff,
        document=document,
        answers=gold_answers,
    )
    page.get_by_role("link", name="My account").click()
    row = page.locator("#work-access tbody tr", has_text=DOMAIN_NAME)
    expect(row.locator("td").nth(3)).to_have_text("allowed")

    staff_page.locator(".next-step").get_by_role("link", name="Approvals and roles").click()
    staff_row = staff_page.locator("table.data tbody tr", has_text=applicant.username)
    staff_row.get_by_placeholder("Reason").fill(REVOKE_REASON)
    staff_row.get_by_role("button", name="Revoke").click()
    expect(staff_page.locator(".message.success")).to_have_text(
        f"Approval of {applicant.username} in {DOMAIN_NAME} is revoked."
    )
    expect(staff_row.locator(".badge")).to_have_text("Revoked")
    expect(staff_row).to_contain_text(REVOKE_REASON)
    save_screenshot(staff_page, "vetting-5a-revoked")

    page.reload()
    expect(row.locator(".badge").first).to_have_text("Revoked")
    expect(row.locator("td.date")).to_have_text("–")
    expect(row.locator("td")).to_have_count(4)
    expect(row.locator("td").nth(3)).to_have_text(
        f"Your approval in {DOMAIN_NAME} was revoked: {REVOKE_REASON}"
    )
    expect(page.get_by_role("button", name=f"Log out {applicant.username}")).to_be_visible()
    save_screenshot(page, "vetting-5b-domain-not-allowed")
    approval = DomainApproval.objects.get(expert__username=applicant.username, domain=domain)
    assert approval.status == ApprovalStatus.REVOKED
    assert approval.status_reason == REVOKE_REASON
