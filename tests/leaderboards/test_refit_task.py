"""The refit task through the real Redis broker and a real Celery worker process."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from annotation.models import BatchStatus
from experts.models import Domain
from leaderboards.models import BatchRefit, BatchRefitStatus, Fit, FitRating, FitStage, FitStatus
from leaderboards.tasks import leaderboard_refit_task
from seal_platform.celery import app as celery_app
from tests.experts.factories import DomainFactory
from tests.leaderboards.factories import (
    SMALL_INPUT,
    BatchFactory,
    add_judgments,
    software_domains,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = "redis://127.0.0.1:6379/0"
WORKER_START_TIMEOUT = 60
TASK_TIMEOUT = 120


def test_task_name_is_pinned() -> None:
    assert leaderboard_refit_task.name == "leaderboards.leaderboard_refit"


def test_task_settings_survive_a_dead_worker() -> None:
    assert leaderboard_refit_task.acks_late is True
    assert leaderboard_refit_task.reject_on_worker_lost is True
    assert leaderboard_refit_task.time_limit == 600
    assert leaderboard_refit_task.soft_time_limit == 540


def worker_environment(queue: str, **extra: str) -> dict[str, str]:
    database = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "seal_platform.settings",
        "SECRET_KEY": "worker-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_CONN_MAX_AGE": "0",
        **extra,
    }


def worker_log(hostname: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{hostname}.log"


def start_worker(
    queue: str, environment: dict[str, str], hostname: str = ""
) -> "subprocess.Popen[str]":
    """Start a Celery worker (solo pool: the task runs in the worker process itself).

    Its output goes to a log file in the temporary folder, named after its hostname.
    """
    hostname = hostname or f"{queue}@localhost"
    with worker_log(hostname).open("w", encoding="utf-8") as log:
        return subprocess.Popen(
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
                hostname,
            ],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )


def stop_worker(worker: "subprocess.Popen[str]") -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture
def worker_queue(transactional_db: None) -> Iterator[str]:
    """Start a Celery worker on a queue of its own, against the test database."""
    queue = f"seal-test-{uuid.uuid4().hex[:12]}"
    worker = start_worker(queue, worker_environment(queue))
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        wait_for_worker(f"{queue}@localhost", worker)
        yield queue
    finally:
        celery_app.conf.task_always_eager = previous
        stop_worker(worker)


def wait_for_worker(hostname: str, worker: "subprocess.Popen[str]") -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            output = worker_log(hostname).read_text(encoding="utf-8")
            pytest.fail(f"The Celery worker exited with {worker.returncode}:\n{output}")
        replies = celery_app.control.ping(destination=[hostname], timeout=1.0)
        if replies:
            return
    pytest.fail(f"The Celery worker {hostname} did not answer within {WORKER_START_TIMEOUT} s")


def wait_for_ready_line(hostname: str, worker: "subprocess.Popen[str]") -> None:
    """Wait for the worker to log that it is ready; for workers that a ping cannot reach."""
    wait_until(
        lambda: (
            worker.poll() is not None
            or f"{hostname} ready." in worker_log(hostname).read_text(encoding="utf-8")
        ),
        WORKER_START_TIMEOUT,
        f"the Celery worker {hostname} to start",
    )
    if worker.poll() is not None:
        output = worker_log(hostname).read_text(encoding="utf-8")
        pytest.fail(f"The Celery worker exited with {worker.returncode}:\n{output}")


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


@pytest.mark.redis
def test_batch_close_message_refits_through_redis(worker_queue: str) -> None:
    _, coding = software_domains()
    batch = BatchFactory(domain=coding)
    connection.close()

    result = celery_app.send_task(
        "leaderboards.batch_refit", kwargs={"batch_id": batch.pk}, queue=worker_queue
    )
    fit_ids = result.get(timeout=TASK_TIMEOUT)

    fits = Fit.objects.filter(pk__in=fit_ids).order_by("domain__slug")
    assert [(fit.domain.slug, fit.status) for fit in fits] == [
        ("coding", FitStatus.FINISHED),
        ("software", FitStatus.FINISHED),
    ]
    assert FitRating.objects.filter(fit__in=fits).count() == 18
    assert BatchRefit.objects.get(batch=batch).status == BatchRefitStatus.FINISHED


@pytest.mark.redis
def test_duplicated_message_makes_one_fit(worker_queue: str) -> None:
    _, coding = software_domains()
    batch = BatchFactory(domain=coding)
    connection.close()

    results = [
        celery_app.send_task(
            "leaderboards.batch_refit", kwargs={"batch_id": batch.pk}, queue=worker_queue
        )
        for _ in range(2)
    ]
    first, second = (result.get(timeout=TASK_TIMEOUT) for result in results)

    refit = BatchRefit.objects.get(batch=batch)
    assert first == second
    assert Fit.objects.count() == 2
    assert refit.attempts == 1
    assert refit.status == BatchRefitStatus.FINISHED


@pytest.mark.redis
def test_worker_ignores_open_and_missing_batches(worker_queue: str) -> None:
    _, coding = software_domains()
    open_batch = BatchFactory(domain=coding, status=BatchStatus.OPEN, closed_at=None)
    connection.close()

    results = [
        celery_app.send_task(
            "leaderboards.batch_refit", kwargs={"batch_id": batch_id}, queue=worker_queue
        )
        for batch_id in (open_batch.pk, open_batch.pk + 1000)
    ]

    assert [result.get(timeout=TASK_TIMEOUT) for result in results] == [[], []]
    assert Fit.objects.count() == 0
    assert BatchRefit.objects.count() == 0


# Bootstrap rounds that keep the killed worker's fit busy for several seconds: about 0.13 ms
# a round for three models on the 2-core test machine. The test waits for progress, not time.
SLOW_BOOTSTRAP_ROUNDS = "60000"
# Redelivery after a lost worker: Redis hands an unacknowledged message to another worker
# once it is older than the visibility timeout. The key prefix keeps this test's messages
# apart from every other worker on the same Redis, whose messages a low timeout would
# otherwise redeliver too.
KILL_TEST_VISIBILITY_SECONDS = 3


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


def running_fit_of(domain: Domain) -> Fit | None:
    return Fit.objects.filter(domain=domain, stage=FitStage.FITTING).first()


@pytest.mark.redis
def test_killed_worker_fit_is_redone(
    transactional_db: None,
) -> None:
    domain = DomainFactory(slug="killed")
    add_judgments(domain, [(a, b, verdict, {}, n) for a, b, verdict, _, n in SMALL_INPUT])
    batch = BatchFactory(domain=domain)
    connection.close()

    queue = f"seal-kill-{uuid.uuid4().hex[:12]}"
    options = {
        "visibility_timeout": KILL_TEST_VISIBILITY_SECONDS,
        "global_keyprefix": f"{queue}:",
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    environment = worker_environment(
        queue,
        LEADERBOARD_BOOTSTRAP_ROUNDS=SLOW_BOOTSTRAP_ROUNDS,
        CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(options),
    )
    broker = celery_app.connection_for_write(BROKER_URL, transport_options=options)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    workers = []
    try:
        first = start_worker(queue, environment, hostname=f"{queue}-first@localhost")
        workers.append(first)
        # Control messages do not reach a worker with a key prefix, so the test reads its log.
        wait_for_ready_line(f"{queue}-first@localhost", first)
        celery_app.send_task(
            "leaderboards.batch_refit",
            kwargs={"batch_id": batch.pk},
            queue=queue,
            connection=broker,
        )
        wait_until(lambda: running_fit_of(domain) is not None, 60, "the fit to start")
        time.sleep(1.0)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)

        killed = running_fit_of(domain)
        assert killed is not None
        assert killed.status == FitStatus.RUNNING
        assert FitRating.objects.filter(fit=killed).count() == 0
        assert BatchRefit.objects.get(batch=batch).attempts == 1

        second = start_worker(queue, environment, hostname=f"{queue}-second@localhost")
        workers.append(second)
        wait_until(
            lambda: BatchRefit.objects.get(batch=batch).status != BatchRefitStatus.RUNNING,
            TASK_TIMEOUT,
            "the redelivered refit to finish",
        )
    finally:
        celery_app.conf.task_always_eager = previous
        for worker in workers:
            stop_worker(worker)
        broker.release()

    refit = BatchRefit.objects.get(batch=batch)
    fit = Fit.objects.get(domain=domain)
    assert refit.status == BatchRefitStatus.FINISHED
    assert refit.attempts == 2
    assert list(refit.fits.all()) == [fit]
    assert fit.pk == killed.pk
    assert fit.status == FitStatus.FINISHED
    assert fit.bootstrap_rounds == int(SLOW_BOOTSTRAP_ROUNDS)
    assert FitRating.objects.filter(fit=fit).count() == 3
