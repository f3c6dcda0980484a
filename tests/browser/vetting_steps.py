"""Steps of the expert vetting flow, each driven through the pages as a person would.

A step starts on the page the previous step left open and ends on the page that shows its
outcome, so tests chain the steps and assert only what they are about. No step calls a
service or writes to the database.
"""

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, ViewportSize, expect

from seal_platform.verdict import Verdict

VIEWPORT: ViewportSize = {"width": 1100, "height": 900}
STATEMENT = "Eight years of writing and reviewing Python services in production."
VERIFY_NOTE = "Diploma matches the university's public register."


@dataclass(frozen=True)
class Applicant:
    username: str
    display_name: str
    password: str = "a-long-passphrase-for-vetting-41"

    @property
    def email(self) -> str:
        return f"{self.username}@example.org"


@dataclass(frozen=True)
class Staff:
    username: str
    password: str


@dataclass(frozen=True)
class Document:
    path: Path
    content: bytes
    title: str = "MSc Computer Science"
    issuer: str = "University of Porto"


def make_pdf(folder: Path) -> Document:
    """Write a one-page PDF diploma with Pillow and return it with its bytes."""
    image = Image.new("RGB", (420, 160), "white")
    ImageDraw.Draw(image).text((20, 60), "Master of Science in Computer Science", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", title="Diploma")
    path = folder / "diploma.pdf"
    path.write_bytes(buffer.getvalue())
    return Document(path=path, content=buffer.getvalue())


def new_page(browser: Browser) -> Page:
    """Open a page in a fresh browser context, so it has its own cookies and session."""
    return browser.new_context(viewport=VIEWPORT).new_page()


def log_in(page: Page, base_url: str, *, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=f"Log out {username}")).to_be_visible()


def sign_up(page: Page, base_url: str, applicant: Applicant) -> None:
    """Reach the sign-up form from the login page and create the account."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(applicant.username)
    page.get_by_label("Email").fill(applicant.email)
    page.get_by_label("Name shown to staff").fill(applicant.display_name)
    page.get_by_label("Password:", exact=True).fill(applicant.password)
    page.get_by_label("Password again").fill(applicant.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Your qualifications")).to_be_visible()


def fill_qualifications(page: Page) -> None:
    page.get_by_label("Degrees").fill("MSc Computer Science, University of Porto")
    page.get_by_label("Employment").fill("Backend engineer at a payments company")
    page.get_by_label("Languages").fill("English, Portuguese")
    page.get_by_label("Years of practice").fill("8")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Qualifications saved.")).to_be_visible()


def apply_for(page: Page, domain_name: str) -> None:
    """Apply for one domain from the account page and land on the new application's page."""
    page.get_by_role("link", name="Apply for a domain").first.click()
    page.get_by_label(domain_name, exact=True).check()
    page.get_by_label("Statement").fill(STATEMENT)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(domain_name)


def upload_credential(page: Page, document: Document) -> None:
    """Upload a document from the application page, which the upload returns to."""
    page.get_by_role("link", name="Upload a credential").click()
    page.get_by_label("Kind").select_option(label="Degree")
    page.get_by_label("Title").fill(document.title)
    page.get_by_label("Issuer").fill(document.issuer)
    page.get_by_label("Document").set_input_files(document.path)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text(f"Uploaded {document.path.name}.")).to_be_visible()


def applicant_reaches_pending_credential(
    page: Page, base_url: str, applicant: Applicant, domain_name: str, document: Document
) -> None:
    sign_up(page, base_url, applicant)
    fill_qualifications(page)
    apply_for(page, domain_name)
    upload_credential(page, document)


def open_application_from_queue(page: Page, applicant: Applicant) -> None:
    page.get_by_role("link", name="Staff", exact=True).click()
    row = page.locator("table.data tbody tr", has_text=applicant.username)
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(applicant.username)


def claim_application(page: Page) -> None:
    page.get_by_role("button", name="Claim this application").click()
    expect(page.locator(".message.success")).to_contain_text("is assigned to you.")


def verify_credential(page: Page, document: Document) -> None:
    """Verify the document with a note, from and back to the staff application page."""
    row = page.locator("table.data tbody tr", has_text=document.title)
    row.get_by_role("link", name="Verify or reject").click()
    page.get_by_label("Note (optional)").fill(VERIFY_NOTE)
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".message.success")).to_contain_text("is verified.")


def staff_verifies(
    page: Page, base_url: str, staff: Staff, applicant: Applicant, document: Document
) -> None:
    """Log staff in, claim the applicant's application and verify the document."""
    log_in(page, base_url, username=staff.username, password=staff.password)
    open_application_from_queue(page, applicant)
    claim_application(page)
    verify_credential(page, document)


def take_test(page: Page, answers: Mapping[str, str]) -> None:
    """Start the next attempt from the application page and submit one verdict per item.

    `answers` maps each gold item's prompt text to the verdict to choose for it.
    """
    page.get_by_role("link", name="Open the qualification test").click()
    page.get_by_role("button", name=re.compile(r"^Start attempt \d+$")).click()
    items = page.locator("section[id^=item-]")
    expect(items.first).to_be_visible()
    for index in range(items.count()):
        item = items.nth(index)
        prompt = item.locator(".response").first.inner_text()
        item.get_by_label(Verdict(answers[prompt]).label, exact=True).check()
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.locator(".message.success")).to_contain_text("submitted and graded.")


def staff_approves(page: Page) -> None:
    """Approve from the staff application page with the domain's default validity."""
    page.reload()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".message.success")).to_contain_text("is approved in")
