"""Model identity never reaches the expert: not in pages, API bodies, headers or static files."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.test import Client

from annotation.models import Assignment, Response
from experts.models import Domain
from tests.annotation.work.blind_setup import (
    COMPARISONS,
    FIRST_RESPONSE_PK,
    forbidden_tokens,
    leaks,
    secret_batch,
)
from tests.annotation.work.rating_setup import JUDGMENT_BODY, JUDGMENT_FORM, logged_in
from tests.annotation.work_setup import SECRET_MODELS, approved_expert
from tests.experts.factories import DomainFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

TASK_KEYS = {
    "assignment_id",
    "domain",
    "status",
    "lease_expires_at",
    "prompt",
    "response_a",
    "response_b",
    "dimensions",
    "min_rationale_length",
    "done",
    "left",
}
STATIC_FILES = ["seal/rating.js", "seal/site.css", "seal/highlight.css"]


@dataclass
class Received:
    """Everything one expert's client received: bodies, header values and redirect targets."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, label: str, response: "TestResponse") -> "TestResponse":
        body = response.getvalue()
        self.items.append((f"{label} body", body.decode()))
        for name, value in response.items():
            self.items.append((f"{label} header {name}", f"{name}: {value}"))
        for cookie in response.cookies.values():
            self.items.append((f"{label} cookie {cookie.key}", cookie.OutputString()))
        return response

    def leaks(self, tokens: list[str]) -> list[str]:
        return leaks(self.items, tokens)


def walk_through_the_work(client: Client, domain: Domain, received: Received) -> None:
    """Judge one comparison on the page, skip one by the API and one on the page."""
    slug = domain.slug
    assert received.add("index", client.get("/work/")).status_code == 200

    first_next = received.add("next", client.get(f"/work/domains/{slug}/next/"))
    assert first_next.status_code == 302
    task_url = first_next["Location"]
    assert received.add("task page", client.get(task_url)).status_code == 200
    short = {**JUDGMENT_FORM, "rationale": "Too short."}
    assert received.add("invalid page", client.post(f"{task_url}submit/", short)).status_code == 400
    saved = received.add("submit", client.post(f"{task_url}submit/", JUDGMENT_FORM))
    assert saved.status_code == 302
    judged_id = task_url.strip("/").split("/")[-1]
    repeat = client.post(
        f"/api/work/tasks/{judged_id}/judgment/", JUDGMENT_BODY, content_type="application/json"
    )
    assert received.add("api repeat", repeat).status_code == 200
    invalid = client.post(
        f"/api/work/tasks/{judged_id}/judgment/",
        {**JUDGMENT_BODY, "verdict": "c"},
        content_type="application/json",
    )
    assert received.add("api invalid", invalid).status_code == 400

    again = received.add("next after submit", client.get(saved["Location"]))
    assert again.status_code == 302
    assert received.add("second task page", client.get(again["Location"])).status_code == 200
    api_next = received.add("api next", client.post(f"/api/work/{slug}/next/"))
    second_id = api_next.json()["assignment_id"]
    assert set(api_next.json()) == TASK_KEYS
    assert received.add("api task", client.get(f"/api/work/tasks/{second_id}/")).status_code == 200
    skipped = client.post(
        f"/api/work/tasks/{second_id}/skip/",
        {"reason": "Not my field"},
        content_type="application/json",
    )
    assert received.add("api skip", skipped).status_code == 200

    third = received.add("third next", client.get(f"/work/domains/{slug}/next/"))
    assert third.status_code == 302
    assert received.add("third task page", client.get(third["Location"])).status_code == 200
    page_skip = client.post(f"{third['Location']}skip/", {"reason": "Not my field"})
    assert received.add("page skip", page_skip).status_code == 302
    no_work = received.add("no work", client.get(page_skip["Location"]))
    assert no_work.status_code == 200
    assert "Nothing left for you in" in no_work.content.decode()
    assert received.add("api no work", client.post(f"/api/work/{slug}/next/")).status_code == 204

    for path in STATIC_FILES:
        assert received.add(path, client.get(f"/static/{path}")).status_code == 200


def test_expert_never_receives_model_identity() -> None:
    domain = DomainFactory()
    secret_batch(domain)
    expert: User = approved_expert(domain)
    received = Received()

    walk_through_the_work(logged_in(expert), domain, received)

    assert Assignment.objects.filter(expert=expert).count() == COMPARISONS
    assert len(received.items) > 60
    assert received.leaks(forbidden_tokens()) == []


def test_task_payload_has_exactly_the_shown_fields() -> None:
    domain = DomainFactory()
    secret_batch(domain)
    expert = approved_expert(domain)

    body = logged_in(expert).post(f"/api/work/{domain.slug}/next/").json()

    assignment = Assignment.objects.get()
    assert set(body) == TASK_KEYS
    assert body["assignment_id"] == assignment.pk
    assert body["status"] == "leased"
    assert body["lease_expires_at"] == (
        (assignment.leased_at + timedelta(minutes=10)).isoformat().replace("+00:00", "Z")
    )
    assert body["dimensions"] == [
        {"key": "correctness", "label": "Correctness"},
        {"key": "readability", "label": "Readability"},
    ]
    assert (body["done"], body["left"]) == (0, COMPARISONS - 1)


def test_leak_check_finds_a_planted_name() -> None:
    """The scan above would notice a model name, so its empty result means something."""
    domain = DomainFactory()
    secret_batch(domain)
    Response.objects.filter(pk=FIRST_RESPONSE_PK).update(text=f"I am {SECRET_MODELS[0]}.")
    Response.objects.filter(pk=FIRST_RESPONSE_PK + 1).update(text=f"I am {SECRET_MODELS[0]}.")
    expert = approved_expert(domain)
    received = Received()

    received.add("api next", logged_in(expert).post(f"/api/work/{domain.slug}/next/"))

    assert received.leaks([SECRET_MODELS[0]]) == [f"{SECRET_MODELS[0]!r} in api next body"]
