"""The public leaderboard pages in headless Chromium, with no JavaScript needed."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from annotation.services.mtbench_import import mtbench_import_folder
from experts.models import Domain
from leaderboards.services.fit import fit_create
from tests.browser.conftest import save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def fitted_mtbench(mtbench_dir: Path) -> Domain:
    mtbench_import_folder(folder=mtbench_dir)
    domain = Domain.objects.get(slug="mt-bench")
    fit_create(domain=domain, bootstrap_rounds=100, seed=4)
    return domain


def test_visitor_reaches_the_mtbench_table_from_the_index(
    page: Page, live_server: object, fitted_mtbench: Domain
) -> None:
    page.goto(f"{live_server}/leaderboards/")
    page.get_by_role("link", name="MT-bench (all categories)").click()

    rows = page.locator("table.leaderboard tbody tr")
    assert rows.count() == 6
    assert rows.nth(0).locator("td.model").inner_text() == "gpt-4"
    assert rows.nth(5).locator("td.model").inner_text() == "llama-13b"
    assert page.locator(".status.unpublished").is_visible()
    assert page.locator("svg circle.rating").count() == 6
    save_screenshot(page, "leaderboard-mt-bench")


def test_page_works_with_javascript_disabled(
    browser: object, live_server: object, fitted_mtbench: Domain
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/leaderboards/mt-bench/")

    assert page.locator("table.leaderboard tbody tr").count() == 6
    context.close()
