"""Time the refit that closing a batch starts, at a million judgments and 100 models.

Run on demand, not in the test suite:

    .venv/bin/python benchmarks/bench_refit.py [--judgments 1000000] [--models 100]
        [--dimensions 3] [--rounds 1000]

It creates a scratch database (`seal_bench_refit`) on the local PostgreSQL, migrates it, and
stores two domains of accepted judgments with COPY (set-up, not timed): `bench-verdict`,
whose judgments have a verdict only, and `bench-rubric`, whose judgments also score
`--dimensions` rubric dimensions. For each domain it times `batch_close` on a batch of that
domain, from the call until the refit has stored its finished fit. Without a broker the
refit task runs in-process when the close commits, so that time covers the close, the
database aggregation, the judgment-ID hash and ranges, every fit with its bootstrap rounds,
and storing the rows. It also times the input read alone. The scratch database is dropped at
the end. Target: under 5 s for the verdict alone.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRATCH_DATABASE = "seal_bench_refit"
ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
VERDICTS = ("a", "b", "tie")
TIE_SHARE = 0.2
STRENGTH_SPREAD = 0.8


def recreate_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")


def drop_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")


def setup_django(rounds: int) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{SCRATCH_DATABASE}"
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["LEADERBOARD_BOOTSTRAP_ROUNDS"] = str(rounds)
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seal_platform.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bradley_terry_outcomes(
    rng: np.random.Generator,
    first: npt.NDArray[np.int64],
    second: npt.NDArray[np.int64],
    strengths: npt.NDArray[np.float64],
) -> npt.NDArray[np.int64]:
    """Return 0 (A won), 1 (B won) or 2 (tie) per judgment: TIE_SHARE ties, the rest by BT."""
    a_wins = rng.random(len(first)) < 1.0 / (1.0 + np.exp(strengths[second] - strengths[first]))
    outcome = np.where(a_wins, 0, 1)
    return np.where(rng.random(len(first)) < TIE_SHARE, 2, outcome)


def dimension_scores(
    rng: np.random.Generator, outcome: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Return scores on -2..2 whose sign is the outcome (A won: negative) and size 1 or 2."""
    size = rng.integers(1, 3, size=len(outcome))
    return np.where(outcome == 0, -size, np.where(outcome == 1, size, 0))


def store_judgments(
    domain_id: int, model_ids: list[int], judgments: int, dimensions: int, seed: int
) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    rng = np.random.default_rng(seed)
    models = len(model_ids)
    strengths = rng.normal(0.0, STRENGTH_SPREAD, size=models)
    first = rng.integers(0, models, size=judgments)
    second = (first + rng.integers(1, models, size=judgments)) % models
    verdicts = bradley_terry_outcomes(rng, first, second, strengths)
    keys = [f"dimension_{index + 1}" for index in range(dimensions)]
    scores = [
        dimension_scores(rng, bradley_terry_outcomes(rng, first, second, strengths)) for _ in keys
    ]
    now = timezone.now()
    columns = (
        "domain_id, model_a_id, model_b_id, verdict, judge, review_status, source_question_id, "
        "is_gold, dimension_scores, rationale, version, created_at, updated_at"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(f"COPY annotation_judgment ({columns}) FROM STDIN") as copy:
            for index in range(judgments):
                rubric = {key: int(values[index]) for key, values in zip(keys, scores, strict=True)}
                copy.write_row(
                    (
                        domain_id,
                        model_ids[first[index]],
                        model_ids[second[index]],
                        VERDICTS[verdicts[index]],
                        "",
                        "accepted",
                        "",
                        False,
                        json.dumps(rubric),
                        "",
                        1,
                        now,
                        now,
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE annotation_judgment")


def make_domain(
    slug: str, staff: Any, model_ids: list[int], args: argparse.Namespace, dimensions: int
) -> Any:
    from annotation.models import ComparisonBatch, PromptSet, Rubric
    from experts.models import Domain

    domain = Domain.objects.create(slug=slug, name=slug)
    Rubric.objects.create(
        domain=domain,
        dimensions=[
            {"key": f"dimension_{index + 1}", "label": f"Dimension {index + 1}"}
            for index in range(dimensions)
        ],
    )
    store_judgments(domain.pk, model_ids, args.judgments, dimensions, args.seed)
    prompt_set = PromptSet.objects.create(domain=domain, name=f"{slug} prompts")
    return ComparisonBatch.objects.create(
        domain=domain, prompt_set=prompt_set, name=f"{slug} batch", created_by=staff
    )


def time_close(batch: Any, staff: Any) -> float:
    from annotation.services.batch_close import batch_close
    from leaderboards.models import BatchRefit, BatchRefitStatus

    started = time.perf_counter()
    batch_close(batch=batch, staff_user=staff)
    elapsed = time.perf_counter() - started
    refit = BatchRefit.objects.get(batch=batch)
    if refit.status != BatchRefitStatus.FINISHED:
        raise SystemExit(f"The refit did not finish: {refit.status} {refit.failure_reason}")
    return elapsed


def time_input_read(batch: Any) -> tuple[float, float]:
    from leaderboards.fit_input import domain_fit_input_read, fit_judgments
    from leaderboards.judgment_ids import judgment_id_set_of

    domain = batch.domain
    started = time.perf_counter()
    judgment_id_set_of(fit_judgments(domain=domain))
    ids = time.perf_counter() - started
    started = time.perf_counter()
    domain_fit_input_read(domain=domain)
    return ids, time.perf_counter() - started


def run(args: argparse.Namespace) -> None:
    from annotation.models import EvaluatedModel
    from tests.experts.factories import StaffUserFactory

    staff = StaffUserFactory(username="bench-staff")
    model_ids = [
        EvaluatedModel.objects.create(name=f"model-{index:03d}").pk for index in range(args.models)
    ]
    started = time.perf_counter()
    verdict_batch = make_domain("bench-verdict", staff, model_ids, args, 0)
    rubric_batch = make_domain("bench-rubric", staff, model_ids, args, args.dimensions)
    print(
        f"set-up: stored {2 * args.judgments:,} judgments in {time.perf_counter() - started:.1f} s"
    )

    verdict_ids, verdict_read = time_input_read(verdict_batch)
    rubric_ids, rubric_read = time_input_read(rubric_batch)
    verdict_close = time_close(verdict_batch, staff)
    rubric_close = time_close(rubric_batch, staff)
    per_dimension = (rubric_close - verdict_close) / max(args.dimensions, 1)

    print(f"{args.judgments:,} judgments, {args.models} models, {args.rounds} bootstrap rounds")
    print(f"judgment-ID hash and ranges alone:        {verdict_ids:6.2f} s")
    print(f"input read, verdict only:                 {verdict_read:6.2f} s")
    print(f"input read, verdict + {args.dimensions} dimensions:         {rubric_read:6.2f} s")
    print(f"batch close to finished fit, verdict:     {verdict_close:6.2f} s  (target < 5 s)")
    print(f"batch close to finished fit, + {args.dimensions} dimensions: {rubric_close:6.2f} s")
    print(f"each extra dimension adds:                {per_dimension:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judgments", type=int, default=1_000_000)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--dimensions", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap rounds per leaderboard")
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()

    recreate_database()
    try:
        setup_django(args.rounds)
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
