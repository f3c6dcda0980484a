import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotation.services.judgment_import import (
    JudgmentFileAlreadyImported,
    judgments_import_file,
)
from seal_platform.errors import SealError


class Command(BaseCommand):
    help = (
        "Import judgments in the Chatbot Arena battle format (JSON array or JSON Lines with "
        "model_a, model_b, winner and optional question_id, judge, tstamp) into a domain. "
        "The whole file is rejected if any line is bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Path of the JSON or JSONL battle file.")
        parser.add_argument(
            "--domain", required=True, help="Domain slug; the domain is created if new."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source_import = judgments_import_file(
                path=options["file"], domain_slug=options["domain"], progress=sys.stderr
            )
        except JudgmentFileAlreadyImported as error:
            self.stdout.write(error.message)
            return
        except SealError as error:
            raise CommandError(error.message) from error

        self.stdout.write(
            f"Imported {source_import.judgment_count} judgments from {source_import.file_name} "
            f"into domain {options['domain']!r} (import {source_import.pk})."
        )
