"""Load test of next-task plus submit against gunicorn and PostgreSQL on this machine.

Run on demand, not in the test suite:

    .venv/bin/python benchmarks/bench_rating_load.py [--comparisons 100000] [--experts 50]
        [--seconds 30] [--workers 4]

It creates a scratch database (`seal_bench_load`), fills it with one domain, `--experts`
approved experts with API tokens and a batch of `--comparisons` open comparisons, starts
gunicorn on 127.0.0.1, and runs two phases from threads in this process:

1. closed loop: every simulated expert asks for the next task and submits a judgment, with no
   pause, for `--seconds`; this measures throughput (judgments per second);
2. open loop at half that rate: requests start on a fixed schedule and the p50/p99 latency of
   next-task and of submit is reported.

Afterwards it checks the stored rows: no judgment lost (every 200 on submit is one row), none
doubled (one per assignment), and no comparison judged by more experts than asked. The load
generator shares the two cores with gunicorn and PostgreSQL, which lowers every figure.
"""

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRATCH_DATABASE = "seal_bench_load"
ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
DOMAIN = "load"
PORT = 8769
RATIONALE = "Response A answers the question; B drifts off topic."


def database_url() -> str:
    return f"postgres://postgres@127.0.0.1:5432/{SCRATCH_DATABASE}"


def server_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "600",
    }


def recreate_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")


def drop_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")


def populate(comparisons: int, experts: int) -> list[str]:
    """Create the domain, experts and batch; return the experts' API tokens."""
    os.environ.update(server_environment())
    os.environ["DJANGO_SETTINGS_MODULE"] = "seal_platform.settings"
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from annotation.models import (
        Comparison,
        ComparisonBatch,
        EvaluatedModel,
        Prompt,
        PromptSet,
        Response,
        Rubric,
    )
    from experts.models import Domain, DomainApproval

    call_command("migrate", verbosity=0)
    domain = Domain.objects.create(slug=DOMAIN, name="Load")
    staff = User.objects.create_user("bench-staff")
    prompt_set = PromptSet.objects.create(domain=domain, name="load set")
    Rubric.objects.create(domain=domain, dimensions=[], min_rationale_length=10)
    first = EvaluatedModel.objects.create(name="bench-model-a")
    second = EvaluatedModel.objects.create(name="bench-model-b")
    prompts = Prompt.objects.bulk_create(
        [
            Prompt(
                domain=domain,
                source="bench",
                external_id=str(number),
                text=f"Prompt {number}",
                prompt_set=prompt_set,
            )
            for number in range(comparisons)
        ],
        batch_size=5000,
    )
    responses_a = Response.objects.bulk_create(
        [Response(prompt=prompt, model=first, text="Answer A") for prompt in prompts],
        batch_size=5000,
    )
    responses_b = Response.objects.bulk_create(
        [Response(prompt=prompt, model=second, text="Answer B") for prompt in prompts],
        batch_size=5000,
    )
    batch = ComparisonBatch.objects.create(
        domain=domain,
        prompt_set=prompt_set,
        name="load",
        created_by=staff,
        lease_duration=timedelta(minutes=10),
    )
    Comparison.objects.bulk_create(
        [
            Comparison(
                domain=domain,
                prompt=prompt,
                response_a=response_a,
                response_b=response_b,
                batch=batch,
                required_judgments=1,
            )
            for prompt, response_a, response_b in zip(
                prompts, responses_a, responses_b, strict=True
            )
        ],
        batch_size=5000,
    )
    tokens = []
    now = timezone.now()
    for number in range(experts):
        user = User.objects.create_user(f"bench-expert-{number}")
        DomainApproval.objects.create(
            expert=user,
            domain=domain,
            approved_by=staff,
            approved_at=now,
            expires_at=now + timedelta(days=30),
        )
        tokens.append(Token.objects.create(user=user).key)
    from django.db import connections

    connections.close_all()
    return tokens


@dataclass
class Recorder:
    next_latencies: list[float] = field(default_factory=list)
    submit_latencies: list[float] = field(default_factory=list)
    submitted_ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, key: str) -> None:
        with self.lock:
            self.errors[key] = self.errors.get(key, 0) + 1


def request(
    connection: http.client.HTTPConnection, path: str, token: str, body: dict[str, object] | None
) -> tuple[int, bytes, float]:
    payload = json.dumps(body or {})
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    connection.request("POST", path, body=payload, headers=headers)
    response = connection.getresponse()
    data = response.read()
    return response.status, data, time.perf_counter() - started


def one_judgment(connection: http.client.HTTPConnection, token: str, recorder: Recorder) -> None:
    status, data, next_seconds = request(connection, f"/api/work/{DOMAIN}/next/", token, None)
    if status != 200:
        recorder.error(f"next {status}")
        return
    assignment_id = json.loads(data)["assignment_id"]
    verdict = secrets.choice(["a", "b", "tie", "both_bad"])
    status, _, submit_seconds = request(
        connection,
        f"/api/work/tasks/{assignment_id}/judgment/",
        token,
        {"verdict": verdict, "rationale": RATIONALE},
    )
    with recorder.lock:
        recorder.next_latencies.append(next_seconds)
        if status == 200:
            recorder.submit_latencies.append(submit_seconds)
            recorder.submitted_ok += 1
    if status != 200:
        recorder.error(f"submit {status}")


def closed_loop(tokens: list[str], seconds: float) -> Recorder:
    recorder = Recorder()
    deadline = time.monotonic() + seconds

    def expert(token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.monotonic() < deadline:
            one_judgment(connection, token, recorder)
        connection.close()

    threads = [threading.Thread(target=expert, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder


def open_loop(tokens: list[str], rate: float, seconds: float) -> Recorder:
    """Start judgments on a fixed schedule shared by all experts, `rate` per second."""
    recorder = Recorder()
    start = time.monotonic()
    interval = len(tokens) / rate

    def expert(index: int, token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        planned = start + index * (1 / rate)
        while planned < start + seconds:
            delay = planned - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            one_judgment(connection, token, recorder)
            planned += interval
        connection.close()

    threads = [
        threading.Thread(target=expert, args=(index, token)) for index, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def count_of(db: psycopg.Connection[Any], query: str) -> int:
    row = db.execute(query).fetchone()
    return int(row[0]) if row is not None else 0


def check_rows() -> dict[str, int]:
    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={SCRATCH_DATABASE}") as db:
        judgments = count_of(db, "SELECT count(*) FROM annotation_judgment")
        doubled = count_of(
            db,
            "SELECT count(*) FROM (SELECT assignment_id FROM annotation_judgment "
            "GROUP BY assignment_id HAVING count(*) > 1) AS doubled",
        )
        over = count_of(
            db,
            "SELECT count(*) FROM (SELECT comparison_id FROM annotation_judgment "
            "GROUP BY comparison_id HAVING count(*) > 1) AS over_judged",
        )
        slots_wrong = count_of(
            db,
            "SELECT count(*) FROM annotation_comparison c WHERE c.slots_taken <> "
            "(SELECT count(*) FROM annotation_assignment a WHERE a.comparison_id = c.id "
            "AND a.status IN ('leased', 'submitted'))",
        )
    return {
        "judgments": judgments,
        "doubled": doubled,
        "over_judged": over,
        "slots_wrong": slots_wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comparisons", type=int, default=100_000)
    parser.add_argument("--experts", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    arguments = parser.parse_args()

    recreate_database()
    server = None
    try:
        started = time.perf_counter()
        tokens = populate(arguments.comparisons, arguments.experts)
        print(
            f"set-up: {arguments.comparisons:,} comparisons, {arguments.experts} experts "
            f"({time.perf_counter() - started:.0f} s)"
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "seal_platform.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(arguments.workers),
                "--log-level",
                "warning",
            ],
            cwd=REPO_ROOT,
            env=server_environment(),
        )
        time.sleep(3)

        closed = closed_loop(tokens, arguments.seconds)
        throughput = closed.submitted_ok / arguments.seconds
        print(
            f"closed loop, {arguments.experts} experts, {arguments.workers} gunicorn workers: "
            f"{throughput:.1f} judgments/s (target >= 300); errors {closed.errors}"
        )

        rate = throughput / 2
        opened = open_loop(tokens, rate, arguments.seconds)
        print(
            f"open loop at {rate:.1f} judgments/s: next-task p50 "
            f"{percentile(opened.next_latencies, 0.5) * 1000:.1f} ms, p99 "
            f"{percentile(opened.next_latencies, 0.99) * 1000:.1f} ms (target < 50); submit p50 "
            f"{percentile(opened.submit_latencies, 0.5) * 1000:.1f} ms, p99 "
            f"{percentile(opened.submit_latencies, 0.99) * 1000:.1f} ms (target < 100); "
            f"errors {opened.errors}"
        )
        rows = check_rows()
        accepted = closed.submitted_ok + opened.submitted_ok
        print(
            f"rows: {rows['judgments']} judgments for {accepted} accepted submits "
            f"(lost {accepted - rows['judgments']}), doubled {rows['doubled']}, comparisons "
            f"judged beyond their count {rows['over_judged']}, slot counters off "
            f"{rows['slots_wrong']}"
        )
        print("note: the load generator runs on the same 2 cores as gunicorn and PostgreSQL")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database()


if __name__ == "__main__":
    main()
