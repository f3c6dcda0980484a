"""The refit task through the real Redis broker and a real Celery worker process."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from experts.models import Domain
from leaderboards.models import Fit, FitStatus
from leaderboards.tasks import leaderboard_refit_task
from seal_platform.celery import app as celery_app

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT = 60
TASK_TIMEOUT = 120


def test_task_name_is_pinned() -> None:
    assert leaderboard_refit_task.name == "leaderboards.leaderboard_refit"


def test_task_settings_survive_a_dead_worker() -> None:
    assert leaderboard_refit_task.acks_late is True
    assert leaderboard_refit_task.reject_on_worker_lost is True
    assert leaderboard_refit_task.time_limit == 600
    assert leaderboard_refit_task.soft_time_limit == 540


@pytest.fixture
def worker_queue(transactional_db: None) -> Iterator[str]:
    """Start a Celery worker on a queue of its own, against the test database."""
    queue = f"seal-test-{uuid.uuid4().hex[:12]}"
    database = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "seal_platform.settings",
        "SECRET_KEY": "worker-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_CONN_MAX_AGE": "0",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "seal_platform",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"{queue}@localhost",
        ],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        wait_for_worker(f"{queue}@localhost", worker)
        yield queue
    finally:
        celery_app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for_worker(hostname: str, worker: "subprocess.Popen[str]") -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            output = worker.stdout.read() if worker.stdout else ""
            pytest.fail(f"The Celery worker exited with {worker.returncode}:\n{output}")
        replies = celery_app.control.ping(destination=[hostname], timeout=1.0)
        if replies:
            return
    pytest.fail(f"The Celery worker {hostname} did not answer within {WORKER_START_TIMEOUT} s")


@pytest.mark.redis
def test_worker_refits_a_domain_through_redis(worker_queue: str, mtbench_dir: Path) -> None:
    from annotation.services.mtbench_import import mtbench_import_folder

    mtbench_import_folder(folder=mtbench_dir)
    domain = Domain.objects.get(slug="mt-bench")
    connection.close()

    result = leaderboard_refit_task.apply_async(
        kwargs={"domain_id": domain.pk, "bootstrap_rounds": 25, "seed": 11}, queue=worker_queue
    )
    fit_id = result.get(timeout=TASK_TIMEOUT)

    fit = Fit.objects.get(pk=fit_id)
    assert fit.status == FitStatus.FINISHED
    assert fit.judgment_count == 1689
    assert fit.bootstrap_rounds == 25
    assert fit.ratings.count() == 6
    assert fit.ratings.get(position=1).model.name == "gpt-4"
