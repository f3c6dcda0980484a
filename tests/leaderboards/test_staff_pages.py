"""Staff pages: fits with progress, a fit's leaderboards, publishing and snapshot diffs."""

import pytest
from django.test import Client

from experts.models import Domain
from leaderboards.models import Fit, FitStage, FitStatus, Snapshot, SnapshotRating
from leaderboards.services.fit import fit_create
from leaderboards.services.snapshot import snapshot_publish
from tests.annotation.work_setup import approved_expert
from tests.experts.factories import StaffUserFactory
from tests.leaderboards.factories import SMALL_INPUT, add_judgments, software_domains

pytestmark = pytest.mark.django_db


@pytest.fixture
def coding() -> Domain:
    return software_domains()[1]


@pytest.fixture
def fit(coding: Domain) -> Fit:
    return fit_create(domain=coding, bootstrap_rounds=20, seed=3)


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(StaffUserFactory())
    return client


def staff_urls(fit: Fit) -> list[str]:
    return [
        "/leaderboards/staff/",
        "/leaderboards/staff/coding/fits/",
        "/leaderboards/staff/coding/snapshots/",
        f"/leaderboards/staff/fits/{fit.pk}/",
        f"/leaderboards/staff/fits/{fit.pk}/charts/ratings.svg",
        f"/leaderboards/staff/fits/{fit.pk}/charts/win-rates.svg?dimension=style",
    ]


def test_anonymous_visitors_are_sent_to_log_in(client: Client, fit: Fit) -> None:
    for url in staff_urls(fit):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_experts_are_refused(client: Client, fit: Fit, coding: Domain) -> None:
    client.force_login(approved_expert(coding))

    for url in staff_urls(fit):
        assert client.get(url).status_code == 403


def test_staff_open_every_page(staff_client: Client, fit: Fit) -> None:
    for url in staff_urls(fit):
        assert staff_client.get(url).status_code == 200


def test_anonymous_and_expert_cannot_publish(client: Client, fit: Fit, coding: Domain) -> None:
    anonymous = client.post(f"/leaderboards/staff/fits/{fit.pk}/publish/", {"note": "x"})
    client.force_login(approved_expert(coding))
    expert = client.post(f"/leaderboards/staff/fits/{fit.pk}/publish/", {"note": "x"})

    assert anonymous.status_code == 302
    assert expert.status_code == 403
    assert Snapshot.objects.count() == 0


def test_fit_page_shows_each_leaderboard_and_the_form(staff_client: Client, fit: Fit) -> None:
    page = staff_client.get(f"/leaderboards/staff/fits/{fit.pk}/").content.decode()

    assert "<h2>Overall verdict</h2>" in page
    assert "<h2>Correctness</h2>" in page
    assert "<h2>Style</h2>" in page
    assert f'action="/leaderboards/staff/fits/{fit.pk}/publish/"' in page
    assert fit.judgment_ids_sha256 in page


def test_publish_form_makes_version_one(staff_client: Client, fit: Fit) -> None:
    response = staff_client.post(
        f"/leaderboards/staff/fits/{fit.pk}/publish/", {"note": "Spring update."}
    )

    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/leaderboards/staff/coding/snapshots/#version-1"
    assert (snapshot.version, snapshot.note, snapshot.fit_id) == (1, "Spring update.", fit.pk)


def test_double_clicked_publish_makes_one_snapshot(staff_client: Client, fit: Fit) -> None:
    url = f"/leaderboards/staff/fits/{fit.pk}/publish/"
    staff_client.post(url, {"note": "once"})

    second = staff_client.post(url, {"note": "once"})

    assert second.status_code == 302
    assert second["Location"] == "/leaderboards/staff/coding/snapshots/#version-1"
    assert Snapshot.objects.count() == 1
    assert SnapshotRating.objects.count() == 9


def test_publish_with_a_long_note_saves_nothing(
    staff_client: Client, fit: Fit, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        response = staff_client.post(
            f"/leaderboards/staff/fits/{fit.pk}/publish/", {"note": "n" * 501}, follow=True
        )

    assert "Ensure this value has at most 500 characters (it has 501)." in response.content.decode()
    assert Snapshot.objects.count() == 0
    assert SnapshotRating.objects.count() == 0
    assert callbacks == []


def test_publish_of_a_running_fit_saves_nothing(staff_client: Client, fit: Fit) -> None:
    Fit.objects.filter(pk=fit.pk).update(status=FitStatus.RUNNING)

    response = staff_client.post(f"/leaderboards/staff/fits/{fit.pk}/publish/", {}, follow=True)

    assert f"Fit {fit.pk} is running, not finished" in response.content.decode()
    assert Snapshot.objects.count() == 0


def test_running_fit_shows_progress_and_reloads(staff_client: Client, fit: Fit) -> None:
    Fit.objects.filter(pk=fit.pk).update(
        status=FitStatus.RUNNING,
        stage=FitStage.FITTING,
        stage_leaderboard="style",
        leaderboards_done=2,
        leaderboards_total=3,
        bootstrap_rounds_done=40,
    )

    listing = staff_client.get("/leaderboards/staff/coding/fits/")
    detail = staff_client.get(f"/leaderboards/staff/fits/{fit.pk}/")

    text = " ".join(listing.content.decode().split())
    assert listing["Refresh"] == "5"
    assert detail["Refresh"] == "5"
    assert "Fitting dimension style: leaderboard 2 of 3 done," in text
    assert '<progress max="60" value="40"></progress> 40 of 60 bootstrap rounds' in text


def test_finished_fit_page_does_not_reload(staff_client: Client, fit: Fit) -> None:
    response = staff_client.get("/leaderboards/staff/coding/fits/")

    assert "Refresh" not in response
    assert "Finished" in response.content.decode()


def test_failed_fit_shows_its_reason(staff_client: Client, fit: Fit) -> None:
    Fit.objects.filter(pk=fit.pk).update(
        status=FitStatus.FAILED, failure_reason="Did not converge."
    )

    page = staff_client.get("/leaderboards/staff/coding/fits/").content.decode()

    assert "Did not converge." in page


def test_snapshot_list_shows_the_diff(staff_client: Client, fit: Fit, coding: Domain) -> None:
    staff = StaffUserFactory(username="publisher")
    snapshot_publish(fit=fit, staff_user=staff, note="")
    add_judgments(coding, [("gamma", "alpha", "a", {}, 30), ("gamma", "beta", "a", {}, 30)])
    snapshot_publish(
        fit=fit_create(domain=coding, bootstrap_rounds=20, seed=3), staff_user=staff, note=""
    )

    page = " ".join(
        staff_client.get("/leaderboards/staff/coding/snapshots/").content.decode().split()
    )

    assert 'id="version-2"' in page
    assert "by publisher" in page
    # Twenty bootstrap rounds of 24 judgments leave every model of version 1 at rank 1, so
    # rank moves stay within the uncertainty while gamma's and alpha's ratings move for real.
    assert (
        '<tr data-model="gamma"> <td class="model">gamma</td> <td class="num">1 → 1</td> '
        '<td class="num within">–</td> <td class="num">895.3 → 1222.0</td> '
        '<td class="num real">326.6 (real)</td>'
    ) in page
    assert '<td class="num within">-1</td> <td class="num">1127.6 → 917.8</td>' in page
    assert '<td class="num real down">-209.8 (real)</td>' in page
    assert '<td class="num">977.1 → 860.2</td> <td class="num within">-116.9</td>' in page
    assert "The first version; nothing to compare with." in page


def test_staff_nav_links_the_fits_page(staff_client: Client) -> None:
    page = staff_client.get("/leaderboards/staff/").content.decode()

    assert '<a href="/leaderboards/staff/">Fits and snapshots</a>' in page


def test_unknown_fit_is_404(staff_client: Client, fit: Fit) -> None:
    assert staff_client.get(f"/leaderboards/staff/fits/{fit.pk + 100}/").status_code == 404


def test_adding_judgments_keeps_old_fit_pages(
    staff_client: Client, fit: Fit, coding: Domain
) -> None:
    add_judgments(coding, SMALL_INPUT[:1])
    newer = fit_create(domain=coding, bootstrap_rounds=0, seed=3)

    page = staff_client.get("/leaderboards/staff/coding/fits/").content.decode()

    assert f'href="/leaderboards/staff/fits/{fit.pk}/"' in page
    assert f'href="/leaderboards/staff/fits/{newer.pk}/"' in page
