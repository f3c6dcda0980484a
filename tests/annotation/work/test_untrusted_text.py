"""Untrusted prompts and responses render as inert text or sanitized Markdown everywhere."""

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User

from annotation.models import Prompt, Response
from annotation.rendering import render_untrusted_markdown
from tests.annotation.work.html_audit import csp_forbids_inline_script, executable_markup
from tests.annotation.work.rating_setup import JUDGMENT_FORM, lease, logged_in, prompts_rewrite
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory, StaffUserFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

IMAGE_HANDLER = '<img src=x onerror="alert(1)">'
SCRIPT_LINK = "[click](javascript:alert(1))"
SCRIPT_BLOCK = '<script>alert("prompt")</script>'
PROMPT_TEXT = f"{SCRIPT_BLOCK}\n\nExplain this:\n\n```html\n<script>alert(2)</script>\n```"
RATING_SCRIPT = '<script src="/static/seal/rating.js"></script>'

# Payloads beyond the three above, each of which a careless renderer would let run.
RENDER_PAYLOADS = [
    IMAGE_HANDLER,
    SCRIPT_LINK,
    SCRIPT_BLOCK,
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">a</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">p</p>',
    '```" onmouseover="alert(1)\ncode\n```',
    "```python\n</code></pre><script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]


@pytest.mark.parametrize("payload", RENDER_PAYLOADS)
def test_rendering_leaves_nothing_executable(payload: str) -> None:
    html = render_untrusted_markdown(payload)

    assert executable_markup(html) == []
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert "<svg" not in html


def test_rendering_keeps_safe_links_and_code() -> None:
    html = render_untrusted_markdown("[docs](https://example.org/a)\n\n```python\nx = 1\n```")

    assert html == (
        '<p><a href="https://example.org/a" rel="noopener noreferrer nofollow">docs</a></p>\n'
        '<pre class="highlight"><code><span class="n">x</span> <span class="o">=</span> '
        '<span class="mi">1</span>\n</code></pre>\n'
    )


def hostile_task(domain_slug: str | None = None) -> tuple[User, str]:
    """Lease a comparison whose prompt and responses are hostile, and return expert and task URL."""
    domain = DomainFactory(**({"slug": domain_slug} if domain_slug else {}))
    make_batch(domain, comparisons=1, texts=(IMAGE_HANDLER, SCRIPT_LINK))
    prompts_rewrite(PROMPT_TEXT)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    return expert, f"/work/tasks/{assignment.pk}/"


def assert_inert(response: "TestResponse") -> str:
    page = response.content.decode()
    assert executable_markup(page) == []
    assert csp_forbids_inline_script(response["Content-Security-Policy"])
    return page


def test_rating_page_shows_hostile_texts_as_text() -> None:
    expert, task_url = hostile_task()

    response = logged_in(expert).get(task_url)

    page = assert_inert(response)
    assert response.status_code == 200
    assert '<p>&lt;img src=x onerror="alert(1)"&gt;</p>' in page
    assert "<p>[click](javascript:alert(1))</p>" in page
    assert '<p>&lt;script&gt;alert("prompt")&lt;/script&gt;</p>' in page
    assert page.count("<script") == 1
    assert RATING_SCRIPT in page


def test_validation_page_echoes_hostile_input_as_text() -> None:
    expert, task_url = hostile_task()
    form = {
        **JUDGMENT_FORM,
        "verdict": SCRIPT_BLOCK,
        "dimension_correctness": IMAGE_HANDLER,
        "rationale": "<script>x</script>",
    }

    response = logged_in(expert).post(f"{task_url}submit/", form)

    page = assert_inert(response)
    assert response.status_code == 400
    assert (
        "Select a valid choice. &lt;script&gt;alert(&quot;prompt&quot;)&lt;/script&gt; is not "
        "one of the available choices." in page
    )
    assert (
        "Select a valid choice. &lt;img src=x onerror=&quot;alert(1)&quot;&gt; is not one of "
        "the available choices." in page
    )
    assert "&lt;script&gt;x&lt;/script&gt;</textarea>" in page
    assert page.count("<script") == 1


def test_api_error_echoing_text_is_json() -> None:
    expert, task_url = hostile_task()
    assignment_id = task_url.strip("/").split("/")[-1]

    response = logged_in(expert).post(
        f"/api/work/tasks/{assignment_id}/judgment/",
        {"verdict": IMAGE_HANDLER, "rationale": "x" * 30},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["error"]["fields"] == {
        "verdict": [f'"{IMAGE_HANDLER}" is not a valid choice.']
    }


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (
            IMAGE_HANDLER,
            "Write each pair as &#x27;model-x, model-y&#x27;; &#x27;&lt;img src=x "
            "onerror=&quot;alert(1)&quot;&gt;&#x27; is not.",
        ),
        (
            f"{SCRIPT_BLOCK}, zephyr-secret-alpha",
            "No responses in this prompt set from: &lt;script&gt;alert(&quot;prompt&quot;)"
            "&lt;/script&gt;.",
        ),
    ],
)
def test_batch_form_errors_echo_names_as_text(pairs: str, message: str) -> None:
    domain = DomainFactory()
    batch = make_batch(domain, comparisons=1)
    staff = StaffUserFactory()
    form = {
        "prompt_set": str(batch.prompt_set_id),
        "name": "echo",
        "pairs": pairs,
        "judgments_per_comparison": "1",
        "lease_minutes": "10",
        "gold_share": "0",
    }

    response = logged_in(staff).post("/work/staff/batches/new/", form)

    page = assert_inert(response)
    assert response.status_code == 200
    assert message in page


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser("admin", "admin@example.org", "admin-password-42")


@pytest.mark.parametrize("model", [Prompt, Response])
def test_admin_shows_texts_escaped_and_read_only(
    admin_user: User, model: type[Prompt] | type[Response]
) -> None:
    hostile_task()
    client = logged_in(admin_user)
    name = model._meta.model_name
    item = model.objects.order_by("pk").first()
    assert item is not None

    listing = client.get(f"/admin/annotation/{name}/")
    detail = client.get(f"/admin/annotation/{name}/{item.pk}/change/")

    assert listing.status_code == 200
    assert detail.status_code == 200
    for response in (listing, detail):
        assert_inert(response)
    page = detail.content.decode()
    expected = (
        "&lt;script&gt;alert(&quot;prompt&quot;)&lt;/script&gt;"
        if model is Prompt
        else ("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;")
    )
    assert expected in page
    assert 'name="text"' not in page
    assert client.get(f"/admin/annotation/{name}/add/").status_code == 403
    assert (
        client.post(f"/admin/annotation/{name}/{item.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert model.objects.filter(pk=item.pk).exists()
