from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotation.models import EvaluatedModel, PromptSet
from annotation.services.exposure import exposure_record
from seal_platform.errors import SealError


class Command(BaseCommand):
    help = (
        "Record that a prompt set was sent to a model (for example through its maker's API), "
        "so fits flag that maker's models."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--domain", required=True)
        parser.add_argument("--set", dest="set_name", required=True)
        parser.add_argument("--model", required=True, help="Evaluated model name.")
        parser.add_argument("--sent-at", required=True, help="ISO 8601 time with UTC offset.")
        parser.add_argument("--staff", required=True, help="Username of the staff member.")
        parser.add_argument("--note", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        prompt_set = PromptSet.objects.filter(
            domain__slug=options["domain"], name=options["set_name"]
        ).first()
        model = EvaluatedModel.objects.filter(name=options["model"]).first()
        staff = get_user_model().objects.filter(username=options["staff"]).first()
        if prompt_set is None or model is None or staff is None:
            raise CommandError(
                "Unknown prompt set, model or staff user: check --domain, --set, --model and "
                "--staff."
            )
        try:
            sent_at = datetime.fromisoformat(options["sent_at"])
            count = exposure_record(
                prompt_set=prompt_set,
                model=model,
                sent_at=sent_at,
                staff_user=staff,
                note=options["note"],
            )
        except ValueError as error:
            raise CommandError(
                f"--sent-at {options['sent_at']!r} is not ISO 8601: {error}"
            ) from error
        except SealError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Recorded {count} prompt exposures to {model.name}.")
