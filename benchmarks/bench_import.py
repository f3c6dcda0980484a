"""Time importing a million battle-file judgments into PostgreSQL.

Run on demand, not in the test suite:

    .venv/bin/python benchmarks/bench_import.py [--judgments 1000000] [--models 100]

It creates a scratch database (`seal_bench_import`) on the local PostgreSQL, migrates it,
writes a JSON Lines battle file with a fixed seed, and times the product's import
(`judgments_import_file`, which inserts with COPY) beside a baseline measured in the same run:
Django's `bulk_create` of the same rows in batches of 5,000. The scratch database is dropped
at the end. Target: the product's import under one minute.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRATCH_DATABASE = "seal_bench_import"
ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"]


def recreate_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE}")
        connection.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")


def drop_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")


def write_battles(path: Path, judgments: int, models: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    first = rng.integers(0, models, size=judgments)
    offset = rng.integers(1, models, size=judgments)
    second = (first + offset) % models
    winners = rng.integers(0, len(WINNERS), size=judgments)
    with path.open("w", encoding="utf-8") as handle:
        for a, b, winner in zip(first.tolist(), second.tolist(), winners.tolist(), strict=True):
            row = {
                "model_a": f"model-{a:03d}",
                "model_b": f"model-{b:03d}",
                "winner": WINNERS[winner],
            }
            handle.write(json.dumps(row) + "\n")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{SCRATCH_DATABASE}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seal_platform.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_product(path: Path, domain: str) -> float:
    from annotation.services.judgment_import import judgments_import_file

    started = time.perf_counter()
    judgments_import_file(path=path, domain_slug=domain, progress=None)
    return time.perf_counter() - started


def time_bulk_create_baseline(path: Path, domain: str) -> float:
    """Parse the same file, then insert with Django's bulk_create instead of COPY."""
    from django.db import transaction

    from annotation.battle_file import parse_judgment_text
    from annotation.models import Judgment
    from annotation.services.judgment_import import evaluated_models_get_or_create
    from experts.services.domain import domain_get_or_create

    started = time.perf_counter()
    parsed = parse_judgment_text(path.read_text(encoding="utf-8"), file_name=path.name)
    with transaction.atomic():
        target = domain_get_or_create(slug=domain)
        ids = evaluated_models_get_or_create(
            names=[name for item in parsed for name in (item.model_a, item.model_b)]
        )
        Judgment.objects.bulk_create(
            (
                Judgment(
                    domain=target,
                    model_a_id=ids[item.model_a],
                    model_b_id=ids[item.model_b],
                    verdict=item.verdict,
                    source_line=item.line,
                )
                for item in parsed
            ),
            batch_size=5_000,
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judgments", type=int, default=1_000_000)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--skip-baseline", action="store_true")
    arguments = parser.parse_args()

    recreate_database()
    try:
        setup_django()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "battles.jsonl"
            write_battles(path, arguments.judgments, arguments.models, arguments.seed)
            size = path.stat().st_size / 1e6
            print(
                f"file: {arguments.judgments:,} judgments, {arguments.models} models, {size:.0f} MB"
            )
            product = time_product(path, "bench-product")
            print(f"product import (parse + COPY):     {product:7.2f} s  (target < 60 s)")
            if not arguments.skip_baseline:
                baseline = time_bulk_create_baseline(path, "bench-baseline")
                print(f"baseline (parse + bulk_create):    {baseline:7.2f} s")
                print(f"ratio baseline / product:          {baseline / product:7.2f}")
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
