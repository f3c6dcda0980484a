"""Public pages and API once a domain has snapshots: snapshots only, nothing private."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from annotation.models import Prompt
from experts.models import Domain
from leaderboards.models import Fit, Snapshot
from leaderboards.services.fit import fit_create
from leaderboards.services.snapshot import snapshot_publish, snapshots_mark_affected
from tests.annotation.work_setup import approved_expert
from tests.experts.factories import StaffUserFactory
from tests.leaderboards.factories import SMALL_INPUT, add_judgments, software_domains

pytestmark = pytest.mark.django_db

PUBLISHER = "publisher-staff-name"


@pytest.fixture
def coding() -> Domain:
    return software_domains()[1]


@pytest.fixture
def published(coding: Domain) -> Snapshot:
    fit = fit_create(domain=coding, bootstrap_rounds=20, seed=3)
    staff = StaffUserFactory(username=PUBLISHER)
    return snapshot_publish(fit=fit, staff_user=staff, note="First version.")


@pytest.fixture
def unpublished_newer_fit(published: Snapshot, coding: Domain) -> Fit:
    add_judgments(coding, [("alpha", "delta-unpublished", "a", {}, 3)])
    return fit_create(domain=coding, bootstrap_rounds=0, seed=3)


def as_role(client: Client, role: str, domain: Domain) -> Client:
    if role == "expert":
        client.force_login(approved_expert(domain))
    elif role == "staff":
        client.force_login(StaffUserFactory())
    return client


PUBLIC_URLS = [
    "/leaderboards/",
    "/leaderboards/coding/",
    "/leaderboards/coding/versions/1/",
    "/leaderboards/coding/versions/1/charts/ratings.svg",
    "/leaderboards/coding/versions/1/charts/win-rates.svg",
    "/leaderboards/coding/versions/1/charts/judgment-counts.svg",
    "/leaderboards/coding/versions/1/charts/ratings.svg?dimension=style",
    "/api/leaderboards/",
    "/api/leaderboards/coding/",
    "/api/leaderboards/coding/snapshots/",
    "/api/leaderboards/coding/snapshots/1/",
    "/api/leaderboards/coding/snapshots/1/export.csv",
    "/api/leaderboards/coding/snapshots/1/export.json",
]


@pytest.mark.parametrize("role", ["anonymous", "expert", "staff"])
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_open_for_every_role(
    client: Client, published: Snapshot, role: str, url: str
) -> None:
    response = as_role(client, role, published.domain).get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_show_no_private_data(
    client: Client, published: Snapshot, unpublished_newer_fit: Fit, url: str
) -> None:
    Prompt.objects.create(
        domain=published.domain, source="test", external_id="p1", text="SECRET PROMPT TEXT"
    )

    body = client.get(url).content.decode("utf-8")

    assert PUBLISHER not in body
    assert "SECRET PROMPT TEXT" not in body
    assert "delta-unpublished" not in body
    assert f'"id": {unpublished_newer_fit.pk}' not in body


def test_domain_page_shows_the_latest_snapshot(client: Client, published: Snapshot) -> None:
    page = client.get("/leaderboards/coding/").content.decode()

    assert "Version 1, published" in page
    assert "not yet published" not in page
    assert "First version." in page
    assert page.index(">alpha<") < page.index(">beta<") < page.index(">gamma<")
    assert 'src="/leaderboards/coding/versions/1/charts/ratings.svg"' in page
    assert 'src="/leaderboards/coding/versions/1/charts/win-rates.svg"' in page
    assert 'src="/leaderboards/coding/versions/1/charts/ratings.svg?dimension=style"' in page
    assert "Method" in page


def test_domain_page_links_earlier_versions(
    client: Client, published: Snapshot, coding: Domain
) -> None:
    add_judgments(coding, SMALL_INPUT[:1])
    newer = fit_create(domain=coding, bootstrap_rounds=0, seed=3)
    snapshot_publish(fit=newer, staff_user=StaffUserFactory(), note="")

    page = client.get("/leaderboards/coding/").content.decode()
    old_page = client.get("/leaderboards/coding/versions/1/").content.decode()

    assert "Version 2, published" in page
    assert 'href="/leaderboards/coding/versions/1/">Version 1</a>' in page
    assert 'A newer version exists: <a href="/leaderboards/coding/versions/2/">' in old_page


def test_affected_snapshot_links_newer_version(
    client: Client, published: Snapshot, coding: Domain
) -> None:
    snapshots_mark_affected(judgment_ids=[published.fit.judgment_id_ranges[0][0]])
    before = client.get("/leaderboards/coding/versions/1/").content.decode()
    add_judgments(coding, SMALL_INPUT[:1])
    snapshot_publish(
        fit=fit_create(domain=coding, bootstrap_rounds=0, seed=3),
        staff_user=StaffUserFactory(),
        note="",
    )

    after = client.get("/leaderboards/coding/versions/1/").content.decode()

    assert "A corrected version has not been published yet." in before
    assert 'See <a href="/leaderboards/coding/versions/2/">version 2</a>.' in after


def test_unknown_version_is_404(client: Client, published: Snapshot) -> None:
    page = client.get("/leaderboards/coding/versions/7/")
    api = client.get("/api/leaderboards/coding/snapshots/7/")

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["error"] == {
        "code": "snapshot_not_found",
        "message": "Domain 'coding' has no snapshot version 7. List its versions at "
        "/api/leaderboards/coding/snapshots/.",
        "fields": {},
    }


@pytest.mark.parametrize(
    "url",
    [
        "/leaderboards/coding/versions/1/charts/pie.svg",
        "/leaderboards/coding/versions/1/charts/ratings.svg?dimension=tone",
    ],
)
def test_unknown_chart_is_404(client: Client, published: Snapshot, url: str) -> None:
    assert client.get(url).status_code == 404


def test_chart_is_svg_and_cached_for_the_snapshot(client: Client, published: Snapshot) -> None:
    first = client.get("/leaderboards/coding/versions/1/charts/win-rates.svg")
    second = client.get("/leaderboards/coding/versions/1/charts/win-rates.svg")

    assert first["Content-Type"] == "image/svg+xml"
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first.content.startswith(b"<?xml")
    assert b"<svg" in first.content
    assert b">alpha<" in first.content
    assert second.content == first.content


def test_api_detail_shows_the_snapshot_only(
    client: Client, published: Snapshot, unpublished_newer_fit: Fit
) -> None:
    body = client.get("/api/leaderboards/coding/").json()

    assert body["published"] is True
    assert body["fit"] is None
    assert body["snapshot"]["version"] == 1
    assert body["snapshot"]["note"] == "First version."
    assert [model["model"] for model in body["models"]] == ["alpha", "beta", "gamma"]
    assert [dimension["key"] for dimension in body["dimensions"]] == ["correctness", "style"]


def test_api_list_shows_snapshots_and_hides_fits(
    client: Client, published: Snapshot, unpublished_newer_fit: Fit
) -> None:
    fit_create(domain=Domain.objects.get(slug="software"), bootstrap_rounds=0, seed=3)

    by_domain = {item["domain"]: item for item in client.get("/api/leaderboards/").json()}

    assert by_domain["coding"]["fit"] is None
    assert by_domain["coding"]["snapshot"]["version"] == 1
    assert by_domain["coding"]["model_count"] == 3
    assert by_domain["software"]["snapshot"] is None
    assert by_domain["software"]["fit"]["judgment_count"] == 27


def test_api_snapshot_list(client: Client, published: Snapshot) -> None:
    body = client.get("/api/leaderboards/coding/snapshots/").json()

    assert body == [
        {
            "version": 1,
            "published_at": published.published_at.isoformat().replace("+00:00", "Z"),
            "fitted_at": published.fitted_at.isoformat().replace("+00:00", "Z"),
            "note": "First version.",
            "judgment_count": 24,
            "judgment_ids_sha256": published.judgment_ids_sha256,
            "seed": 3,
            "bootstrap_rounds": 20,
            "code_version": published.code_version,
            "affected_at": None,
            "model_count": 3,
        }
    ]


def publish_versions(domain: Domain, count: int) -> None:
    staff = StaffUserFactory()
    for _ in range(count):
        add_judgments(domain, SMALL_INPUT[:1])
        snapshot_publish(
            fit=fit_create(domain=domain, bootstrap_rounds=0, seed=3), staff_user=staff, note=""
        )


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/api/leaderboards/coding/snapshots/", 2),
        ("/api/leaderboards/", 3),
    ],
)
def test_list_endpoints_keep_a_query_budget(
    client: Client,
    coding: Domain,
    django_assert_max_num_queries: Callable[..., Any],
    url: str,
    budget: int,
) -> None:
    publish_versions(coding, 3)

    with django_assert_max_num_queries(budget):
        response = client.get(url)

    assert response.status_code == 200


def test_index_shows_the_latest_version(client: Client, published: Snapshot) -> None:
    page = client.get("/leaderboards/").content.decode()

    assert f"<td>version 1, {published.published_at:%Y-%m-%d}</td>" in page
    assert "<td>not fitted yet</td>" in page


def test_openapi_schema_lists_the_snapshot_endpoints(client: Client) -> None:
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    assert "/api/leaderboards/{slug}/snapshots/" in paths
    assert "/api/leaderboards/{slug}/snapshots/{version}/" in paths
    assert "/api/leaderboards/{slug}/snapshots/{version}/export.csv" in paths
    assert "/api/leaderboards/{slug}/snapshots/{version}/export.json" in paths
