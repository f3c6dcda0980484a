"""Suite-wide set-up: which real services are here, and what happens when one is missing.

Tests that touch the database need PostgreSQL; tests marked `redis` need Redis and start a
real Celery worker; tests marked `browser` need Debian's Chromium. Under CI (CI=true) a
missing service ends the run with a failure; elsewhere the tests that need it skip with a
message saying so.
"""

import os
import shutil
import socket
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("SEAL_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
CHROMIUM = os.environ.get("SEAL_CHROMIUM", "/usr/bin/chromium")
IS_CI = os.environ.get("CI", "").lower() == "true"
DATABASE_FIXTURES = {"django_db_setup", "live_server"}


def postgres_problem() -> str | None:
    import psycopg

    try:
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3
        ):
            return None
    except psycopg.OperationalError as error:
        return f"PostgreSQL at 127.0.0.1:5432 is not reachable ({error})".strip()


def redis_problem() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=3) as connection:
            connection.sendall(b"PING\r\n")
            if connection.recv(16).startswith(b"+PONG"):
                return None
            return "Redis at 127.0.0.1:6379 did not answer PING"
    except OSError as error:
        return f"Redis at 127.0.0.1:6379 is not reachable ({error})"


def chromium_problem() -> str | None:
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return None
    return f"Chromium is not installed at {CHROMIUM} (scripts/ensure_chromium.sh installs it)"


def pytest_configure(config: pytest.Config) -> None:
    problems = {
        "postgres": postgres_problem(),
        "redis": redis_problem(),
        "browser": chromium_problem(),
    }
    config.stash[SERVICE_PROBLEMS] = problems
    missing = [problem for problem in problems.values() if problem]
    if IS_CI and missing:
        pytest.exit("CI requires every service: " + "; ".join(missing), returncode=1)


SERVICE_PROBLEMS = pytest.StashKey[dict[str, str | None]]()


def _needs_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db")) or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = config.stash[SERVICE_PROBLEMS]
    for item in items:
        needs = []
        if _needs_database(item):
            needs.append("postgres")
        if item.get_closest_marker("redis"):
            needs.append("redis")
        if item.get_closest_marker("browser"):
            needs.append("browser")
        for service in needs:
            problem = problems[service]
            if problem:
                item.add_marker(pytest.mark.skip(reason=f"{problem}; skipped outside CI"))
                break


@pytest.fixture(scope="session")
def mtbench_dir() -> Path:
    """The MT-bench folder of the shared data. Missing data fails the test, never skips it."""
    folder = SHARED_DATA / "mt_bench"
    if not (folder / "human_judgments_turn1.jsonl").exists():
        pytest.fail(
            f"MT-bench data not found: expected {folder}/human_judgments_turn1.jsonl. Put the "
            "shared data folder beside the project or set SEAL_SHARED_DATA."
        )
    return folder
