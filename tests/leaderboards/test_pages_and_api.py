"""Public leaderboard pages and API: the latest fit, marked unpublished, and no prompt text."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from annotation.models import Prompt
from annotation.services.judgment_import import judgments_import_file
from experts.models import Domain
from leaderboards.services.fit import fit_create

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '<script>alert("x")</script>'


@pytest.fixture
def fitted(mtbench_domain: Domain) -> Domain:
    fit_create(domain=mtbench_domain, bootstrap_rounds=40, seed=2)
    return mtbench_domain


def test_index_lists_domains_with_their_fits(client: Client, fitted: Domain) -> None:
    response = client.get("/leaderboards/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/leaderboards/mt-bench/"' in page
    assert 'href="/leaderboards/mt-bench-coding/"' in page
    assert "1689" in page


def test_detail_page_shows_the_ranked_table(client: Client, fitted: Domain) -> None:
    response = client.get("/leaderboards/mt-bench/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "not yet published" in page
    assert page.index("gpt-4") < page.index("claude-v1") < page.index("llama-13b")
    assert "1175.1" in page
    assert "<svg" in page


def test_detail_page_shows_no_prompt_text(client: Client, fitted: Domain) -> None:
    page = client.get("/leaderboards/mt-bench/").content.decode()

    for prompt in Prompt.objects.all():
        assert prompt.text[:60] not in page


def test_api_returns_the_fit_in_command_shape(client: Client, fitted: Domain) -> None:
    output = io.StringIO()
    call_command(
        "fit_leaderboard",
        "--domain",
        "mt-bench",
        "--bootstrap",
        "40",
        "--seed",
        "2",
        "--json",
        stdout=output,
    )

    response = client.get("/api/leaderboards/mt-bench/")

    body = response.json()
    expected = json.loads(output.getvalue())
    assert response.status_code == 200
    assert body["published"] is False
    assert body["domain"] == "mt-bench"
    assert body["models"] == expected["models"]
    assert body["warnings"] == expected["warnings"]
    assert body["fit"]["judgment_count"] == 1689
    assert "prompt" not in json.dumps(body).lower()


def test_api_list_names_every_domain(client: Client, fitted: Domain) -> None:
    response = client.get("/api/leaderboards/")

    domains = {item["domain"]: item for item in response.json()}
    assert response.status_code == 200
    assert len(domains) == 9
    assert domains["mt-bench"]["model_count"] == 6
    assert domains["mt-bench"]["parent_domain"] is None
    assert domains["mt-bench-math"]["parent_domain"] == "mt-bench"
    assert domains["mt-bench-math"]["fit"] is None


def test_unknown_domain_is_404_on_page_and_api(client: Client) -> None:
    page = client.get("/leaderboards/nowhere/")
    api = client.get("/api/leaderboards/nowhere/")

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "domain_not_found"
    assert api.json()["error"]["message"].startswith("Domain 'nowhere' does not exist.")


def test_api_for_unfitted_domain_explains_what_to_do(
    client: Client, mtbench_domain: Domain
) -> None:
    response = client.get("/api/leaderboards/mt-bench/")

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "leaderboard_not_fitted",
        "message": "Domain 'mt-bench' has no finished fit yet. Run `manage.py fit_leaderboard "
        "--domain mt-bench` or wait for the running fit.",
        "fields": {},
    }


def test_model_names_are_escaped(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_text(
        json.dumps({"model_a": HOSTILE_NAME, "model_b": "plain", "winner": "model_a"})
        + "\n"
        + json.dumps({"model_a": "plain", "model_b": HOSTILE_NAME, "winner": "model_a"})
        + "\n",
        encoding="utf-8",
    )
    judgments_import_file(path=path, domain_slug="hostile")
    fit_create(domain=Domain.objects.get(slug="hostile"), bootstrap_rounds=0, seed=1)

    page = client.get("/leaderboards/hostile/").content.decode()

    assert HOSTILE_NAME not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_pages_carry_a_content_security_policy(client: Client) -> None:
    response = client.get("/leaderboards/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_openapi_schema_describes_the_leaderboard_api(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    schema = json.loads(response.content)
    assert response.status_code == 200
    assert "/api/leaderboards/{slug}/" in schema["paths"]
    assert "/api/leaderboards/" in schema["paths"]
