"""Staff publish a snapshot in headless Chromium; visitors see it with its charts."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from annotation.services.mtbench_import import mtbench_import_folder
from experts.models import Domain
from leaderboards.models import Fit, FitStage, FitStatus, Snapshot
from leaderboards.services.fit import fit_create
from tests.browser.conftest import save_screenshot
from tests.browser.vetting_steps import log_in
from tests.experts.factories import TEST_PASSWORD, StaffUserFactory
from tests.leaderboards.factories import add_judgments, rubric_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Rubric scores on a few MT-bench pairs, so the fit has dimension leaderboards to show.
DIMENSION_JUDGMENTS = [
    ("gpt-4", "claude-v1", "a", {"correctness": -2, "clarity": -1}, 12),
    ("claude-v1", "gpt-4", "a", {"correctness": -1, "clarity": 1}, 5),
    ("gpt-3.5-turbo", "vicuna-13b-v1.2", "a", {"correctness": -1, "clarity": 0}, 9),
    ("vicuna-13b-v1.2", "gpt-3.5-turbo", "b", {"correctness": 2, "clarity": -1}, 4),
    ("gpt-4", "gpt-3.5-turbo", "a", {"correctness": -1, "clarity": -1}, 8),
    ("llama-13b", "gpt-4", "b", {"correctness": 1, "clarity": 2}, 6),
    ("claude-v1", "llama-13b", "a", {"correctness": -2, "clarity": 0}, 7),
    ("alpaca-13b", "llama-13b", "tie", {"correctness": 0, "clarity": 1}, 5),
    ("alpaca-13b", "vicuna-13b-v1.2", "b", {"correctness": 1, "clarity": 1}, 6),
    ("claude-v1", "alpaca-13b", "a", {"correctness": -1, "clarity": -1}, 4),
]


@pytest.fixture
def fitted_mtbench(mtbench_dir: Path) -> Fit:
    mtbench_import_folder(folder=mtbench_dir)
    domain = Domain.objects.get(slug="mt-bench")
    rubric_for(domain)
    domain.rubric.dimensions = [
        {"key": "correctness", "label": "Correctness"},
        {"key": "clarity", "label": "Clarity"},
    ]
    domain.rubric.save()
    add_judgments(domain, DIMENSION_JUDGMENTS)
    return fit_create(domain=domain, bootstrap_rounds=100, seed=4)


@pytest.fixture
def staff_page(page: Page, live_server: object) -> Page:
    staff = StaffUserFactory(username="lead-staff")
    log_in(page, str(live_server), username=staff.username, password=TEST_PASSWORD)
    return page


def images_loaded(page: Page) -> list[bool]:
    loaded = page.eval_on_selector_all(
        "figure.chart img",
        "images => images.map(image => image.complete && image.naturalWidth > 0)",
    )
    return [bool(flag) for flag in loaded]


def test_staff_publish_a_fit_and_visitors_see_it(
    staff_page: Page, live_server: object, fitted_mtbench: Fit, browser: Browser
) -> None:
    base = str(live_server)
    staff_page.goto(f"{base}/leaderboards/staff/")
    staff_page.get_by_role("link", name="Fits and snapshots").click()
    staff_page.locator('a[href="/leaderboards/staff/mt-bench/fits/"]').click()
    staff_page.get_by_role("link", name=str(fitted_mtbench.pk), exact=True).click()
    assert staff_page.locator("section#leaderboard-correctness table tbody tr").count() == 6
    staff_page.wait_for_load_state("networkidle")
    save_screenshot(staff_page, "leaderboard-staff-fit")

    staff_page.get_by_label("Note").fill("First public version: 1,739 judgments.")
    staff_page.get_by_role("button", name="Publish as the next version").click()

    assert staff_page.locator("#version-1 h2").inner_text() == "Version 1"
    assert Snapshot.objects.get().note == "First public version: 1,739 judgments."
    save_screenshot(staff_page, "leaderboard-staff-snapshots")

    visitor = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    visitor.goto(f"{base}/leaderboards/mt-bench/")
    visitor.wait_for_load_state("networkidle")
    rows = visitor.locator("table[data-leaderboard=verdict] tbody tr")
    assert rows.count() == 6
    assert rows.nth(0).locator("td.model").inner_text() == "gpt-4"
    assert visitor.locator(".status.published").inner_text().startswith("Version 1, published")
    assert images_loaded(visitor) == [True] * 5
    assert "lead-staff" not in visitor.content()
    save_screenshot(visitor, "leaderboard-public-snapshot")
    visitor.context.close()


def test_snapshot_page_works_without_javascript(
    browser: Browser, live_server: object, fitted_mtbench: Fit
) -> None:
    from leaderboards.services.snapshot import snapshot_publish

    snapshot_publish(fit=fitted_mtbench, staff_user=StaffUserFactory(), note="")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server}/leaderboards/mt-bench/versions/1/")
    page.wait_for_load_state("networkidle")

    assert page.locator("table[data-leaderboard=verdict] tbody tr").count() == 6
    assert page.locator("table[data-leaderboard=clarity] tbody tr").count() == 6
    assert images_loaded(page) == [True] * 5
    context.close()


def test_staff_see_a_running_fit_progress(
    staff_page: Page, live_server: object, fitted_mtbench: Fit
) -> None:
    Fit.objects.filter(pk=fitted_mtbench.pk).update(
        status=FitStatus.RUNNING,
        stage=FitStage.FITTING,
        stage_leaderboard="clarity",
        leaderboards_done=1,
        leaderboards_total=3,
        bootstrap_rounds_done=100,
    )

    response = staff_page.goto(f"{live_server}/leaderboards/staff/mt-bench/fits/")

    assert response is not None
    assert response.headers["refresh"] == "5"
    assert staff_page.locator("progress").get_attribute("value") == "100"
    assert "leaderboard 1 of 3 done" in staff_page.locator("table.fits").inner_text()
    save_screenshot(staff_page, "leaderboard-staff-progress")
