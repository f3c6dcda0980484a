from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotation.services.prompt_import import prompts_import_file
from seal_platform.errors import SealError


class Command(BaseCommand):
    help = (
        "Import a private prompt set from JSON Lines (an id such as id, question_id or uid, "
        "and the text as prompt, text, instruction or turns). Any bad line rejects the file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--domain", required=True, help="Domain slug; created if new.")
        parser.add_argument("--set", dest="set_name", required=True, help="New prompt set name.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            prompt_set = prompts_import_file(
                path=options["file"], domain_slug=options["domain"], set_name=options["set_name"]
            )
        except SealError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Imported {prompt_set.prompts.count()} prompts into set {prompt_set.name!r} "
            f"of {options['domain']!r}."
        )
