"""The project's own set-up: compose file, production settings and the SQLite demo path."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_START_TIMEOUT = 60
PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "a-real-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
    "ALLOWED_HOSTS": "leaderboards.example.org",
    "DATABASE_URL": "postgres://seal:secret@db.internal:5432/seal",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
}


def clean_environment(**extra: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "SEAL_SHARED_DATA", "TMPDIR"}
    environment = {key: value for key, value in os.environ.items() if key in keep}
    environment.update(extra)
    return environment


def manage(
    *arguments: str, environment: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_compose_file_runs_web_worker_postgres_and_redis() -> None:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))

    services = compose["services"]
    assert sorted(services) == ["db", "redis", "web", "worker"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "gunicorn seal_platform.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A seal_platform worker")
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["DATABASE_URL"].split("@")[1].startswith("db:5432/")
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }


def test_production_settings_pass_deploy_checks() -> None:
    completed = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        environment=clean_environment(**PRODUCTION_ENVIRONMENT),
    )

    assert completed.returncode == 0, completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_production_without_secret_key_fails_with_a_message() -> None:
    environment = clean_environment(**PRODUCTION_ENVIRONMENT)
    del environment["SECRET_KEY"]

    completed = manage("check", environment=environment)

    assert completed.returncode != 0
    assert "SECRET_KEY is not set. Set SECRET_KEY to a long random string" in completed.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        body: bytes = response.read()
        return body.decode("utf-8")


def test_sqlite_demo_path_serves_the_leaderboard(tmp_path: Path, mtbench_dir: Path) -> None:
    environment = clean_environment(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        SEAL_SHARED_DATA=str(mtbench_dir.parent),
        LEADERBOARD_BOOTSTRAP_ROUNDS="50",
    )

    migrated = manage("migrate", "--no-input", environment=environment)
    assert migrated.returncode == 0, migrated.stderr
    first = manage("demo_setup", environment=environment)
    assert first.returncode == 0, first.stderr
    assert "MT-bench: 1689 judgments imported." in first.stdout
    again = manage("demo_setup", environment=environment)
    assert again.returncode == 0, again.stderr
    assert "MT-bench: 1689 judgments already imported, reused." in again.stdout

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/leaderboards/mt-bench/", server)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert "gpt-4" in page
    assert "1175.1" in page
    assert "not yet published" in page


def wait_for_page(url: str, server: "subprocess.Popen[bytes]") -> str:
    deadline = time.monotonic() + DEMO_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"The demo server exited with {server.returncode}")
        try:
            return fetch(url)
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"The demo server did not answer {url} within {DEMO_START_TIMEOUT} s")


def test_demo_setup_names_the_missing_data_folder(tmp_path: Path) -> None:
    environment = clean_environment(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        SEAL_SHARED_DATA=str(tmp_path / "no-data"),
    )
    manage("migrate", "--no-input", environment=environment)

    completed = manage("demo_setup", environment=environment)

    assert completed.returncode == 1
    assert f"The MT-bench data folder {tmp_path / 'no-data' / 'mt_bench'} was not found." in (
        completed.stderr
    )
