"""Snapshot downloads: CSV that spreadsheets cannot run, text that survives, the command's shape."""

import csv
import io
import json
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from experts.models import Domain
from leaderboards.export import EXPORT_COLUMNS, spreadsheet_text
from leaderboards.models import Snapshot
from leaderboards.services.fit import fit_create
from leaderboards.services.snapshot import snapshot_publish
from tests.experts.factories import DomainFactory, StaffUserFactory
from tests.leaderboards.factories import add_judgments, rubric_for

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    '=HYPERLINK("http://127.0.0.1/")',
    "+1+1",
    "-12.4",
    "@SUM(A1)",
    "\tindented",
    "\rreturn",
    "#not-a-comment",
    "модель 🚀 中文 العربية",
]


@pytest.fixture
def snapshot() -> Snapshot:
    domain = DomainFactory(slug="export", name="Export")
    rubric_for(domain)
    names = HOSTILE_NAMES
    specs = [
        (names[index], names[(index + 1) % len(names)], "a", {"style": -1}, 2)
        for index in range(len(names))
    ] + [
        (names[index], names[(index + 1) % len(names)], "b", {"style": 1}, 1)
        for index in range(len(names))
    ]
    add_judgments(domain, specs)
    fit = fit_create(domain=domain, bootstrap_rounds=10, seed=1)
    return snapshot_publish(fit=fit, staff_user=StaffUserFactory(), note="Hostile names.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("gpt-4", "gpt-4"),
        ("#x", "#x"),
        ("", ""),
    ],
)
def test_spreadsheet_text_prefixes_formula_starts(text: str, expected: str) -> None:
    assert spreadsheet_text(text) == expected


def download(client: Client, snapshot: Snapshot, suffix: str = "") -> bytes:
    response = client.get(
        f"/api/leaderboards/export/snapshots/{snapshot.version}/export.csv{suffix}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response.content


def csv_rows(content: bytes) -> tuple[list[str], list[list[Any]]]:
    text = content.decode("utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("# ")]
    data = [line for line in io.StringIO(text, newline="") if not line.startswith("# ")]
    rows: list[list[Any]] = list(csv.reader(data, quoting=csv.QUOTE_NONNUMERIC))
    return comments, rows


def test_csv_starts_with_a_byte_order_mark(client: Client, snapshot: Snapshot) -> None:
    assert download(client, snapshot).startswith(b"\xef\xbb\xbf# domain: export\r\n")


def test_csv_round_trip_keeps_text_and_neutralises_formulas(
    client: Client, snapshot: Snapshot
) -> None:
    _, rows = csv_rows(download(client, snapshot))

    header, data = rows[0], rows[1:]
    assert tuple(header) == EXPORT_COLUMNS
    assert sorted(str(line[0]) for line in data) == sorted(
        spreadsheet_text(name) for name in HOSTILE_NAMES
    )
    assert "модель 🚀 中文 العربية" in [line[0] for line in data]
    assert "'-12.4" in [line[0] for line in data]


def test_csv_numbers_stay_numbers(client: Client, snapshot: Snapshot) -> None:
    _, rows = csv_rows(download(client, snapshot))
    payload = client.get(f"/api/leaderboards/export/snapshots/{snapshot.version}/").json()

    expected = [[model[column] for column in EXPORT_COLUMNS[1:]] for model in payload["models"]]
    assert [line[1:] for line in rows[1:]] == expected
    raw = download(client, snapshot).decode("utf-8-sig")
    assert f",{payload['models'][0]['rating']!r}," in raw


def test_csv_comments_state_the_rule_and_offsets(client: Client, snapshot: Snapshot) -> None:
    comments, _ = csv_rows(download(client, snapshot))

    facts = dict(line[2:].split(": ", 1) for line in comments)
    assert facts["version"] == "1"
    assert facts["leaderboard"] == "overall verdict"
    assert datetime.fromisoformat(facts["published_at"]).utcoffset() is not None
    assert facts["published_at"].endswith("+00:00")
    assert facts["text cells"] == (
        "Text cells that begin with =, +, -, @, a tab or a carriage return start with an added "
        "single quote (') so that spreadsheets do not run them as formulas."
    )


def test_csv_of_a_dimension(client: Client, snapshot: Snapshot) -> None:
    comments, rows = csv_rows(download(client, snapshot, "?dimension=style"))

    assert "# leaderboard: style" in comments
    assert len(rows) == 1 + len(HOSTILE_NAMES)


def test_csv_of_an_unknown_dimension_is_404(client: Client, snapshot: Snapshot) -> None:
    response = client.get(
        f"/api/leaderboards/export/snapshots/{snapshot.version}/export.csv?dimension=tone"
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == (
        "Snapshot 1 of 'export' has no dimension 'tone'. Choose one of: style, or leave "
        "`dimension` out for the overall verdict."
    )


def test_json_export_has_the_command_shape(client: Client, snapshot: Snapshot) -> None:
    response = client.get(f"/api/leaderboards/export/snapshots/{snapshot.version}/export.json")

    body = json.loads(response.content.decode("utf-8"))
    assert response["Content-Disposition"] == 'attachment; filename="export-v1.json"'
    assert list(body) == ["domain", "models", "warnings", "snapshot", "dimensions"]
    assert body["domain"] == "export"
    assert [list(model) for model in body["models"]] == [list(EXPORT_COLUMNS)] * len(HOSTILE_NAMES)
    assert {model["model"] for model in body["models"]} == set(HOSTILE_NAMES)
    assert body["snapshot"]["note"] == "Hostile names."
    assert body["snapshot"]["published_at"].endswith("+00:00")
    assert [dimension["key"] for dimension in body["dimensions"]] == ["style"]
    assert "published_by" not in json.dumps(body)


def test_exports_are_byte_identical_on_repeat(client: Client, snapshot: Snapshot) -> None:
    url = f"/api/leaderboards/export/snapshots/{snapshot.version}/export"

    assert client.get(url + ".csv").content == client.get(url + ".csv").content
    assert client.get(url + ".json").content == client.get(url + ".json").content


def test_refit_exports_same_rows(client: Client, snapshot: Snapshot) -> None:
    domain = Domain.objects.get(slug="export")
    again = fit_create(domain=domain, bootstrap_rounds=10, seed=1)

    exported = json.loads(
        client.get(f"/api/leaderboards/export/snapshots/{snapshot.version}/export.json").content
    )

    assert again.pk == snapshot.fit_id
    assert exported["models"] == [
        {column: getattr(rating, column) for column in EXPORT_COLUMNS[1:]}
        | {"model": rating.model.name}
        for rating in again.ratings.filter(dimension="")
        .select_related("model")
        .order_by("position")
    ]
