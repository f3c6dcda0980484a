from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotation.models import PromptSet
from annotation.services.prompt_import import RESPONSE_FORMATS, responses_import_file
from seal_platform.errors import SealError


class Command(BaseCommand):
    help = (
        "Attach one model's responses to a prompt set (MT-bench, AlpacaEval or Arena-Hard files)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--domain", required=True, help="Domain slug of the prompt set.")
        parser.add_argument("--set", dest="set_name", required=True, help="Prompt set name.")
        parser.add_argument("--format", dest="fmt", required=True, choices=RESPONSE_FORMATS)
        parser.add_argument("--model", help="Model name; default: named in the file, or its stem.")

    def handle(self, *args: Any, **options: Any) -> None:
        prompt_set = PromptSet.objects.filter(
            domain__slug=options["domain"], name=options["set_name"]
        ).first()
        if prompt_set is None:
            raise CommandError(
                f"Prompt set {options['set_name']!r} does not exist in domain "
                f"{options['domain']!r}. Import it first with import_prompts."
            )
        try:
            count = responses_import_file(
                path=options["file"],
                prompt_set=prompt_set,
                fmt=options["fmt"],
                model_name=options["model"],
            )
        except SealError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Imported {count} responses into set {prompt_set.name!r}.")
