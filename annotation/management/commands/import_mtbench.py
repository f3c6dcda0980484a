import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotation.services.mtbench_import import MTBENCH_DOMAIN, mtbench_import_folder
from seal_platform.errors import SealError


class Command(BaseCommand):
    help = (
        "Import MT-bench questions, model answers and human judgments from a folder laid out "
        "like the MT-bench release, into the 'mt-bench' domain and one child domain per "
        "question category."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="Folder holding human_judgments_turn1.jsonl.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = mtbench_import_folder(folder=options["folder"], progress=sys.stderr)
        except SealError as error:
            raise CommandError(error.message) from error

        record = result.judgment_import
        if not result.is_new:
            self.stdout.write(
                f"MT-bench judgments were already imported into {MTBENCH_DOMAIN!r} on "
                f"{record.imported_at.isoformat()} (import {record.pk}); nothing was stored."
            )
            return
        self.stdout.write(
            f"Imported {record.judgment_count} judgments, {result.prompt_count} prompts and "
            f"{result.response_count} responses into {result.domain_count} domains "
            f"(import {record.pk})."
        )
