import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotation.services.mtbench_import import mtbench_import_folder
from experts.selectors import domain_list
from leaderboards.fit_input import DomainHasNoJudgments
from leaderboards.services.fit import fit_create
from seal_platform.errors import SealError


class Command(BaseCommand):
    help = (
        "Load the MT-bench judgments from the shared data folder and fit every domain's "
        "leaderboard. Running it again reuses what is already stored."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = settings.SHARED_DATA_DIR / "mt_bench"
        if not folder.is_dir():
            raise CommandError(
                f"The MT-bench data folder {folder} was not found. Put the shared data folder "
                "beside the project (../shared/data/mt_bench/) or set SEAL_SHARED_DATA to the "
                "folder that contains mt_bench/."
            )
        try:
            result = mtbench_import_folder(folder=folder, progress=sys.stderr)
        except SealError as error:
            raise CommandError(error.message) from error
        record = result.judgment_import
        state = "imported" if result.is_new else "already imported, reused"
        self.stdout.write(f"MT-bench: {record.judgment_count} judgments {state}.")

        for domain in domain_list():
            try:
                fit = fit_create(
                    domain=domain,
                    bootstrap_rounds=settings.LEADERBOARD_BOOTSTRAP_ROUNDS,
                    seed=settings.LEADERBOARD_SEED,
                )
            except DomainHasNoJudgments:
                continue
            except SealError as error:
                raise CommandError(f"Fitting {domain.slug!r} failed: {error.message}") from error
            self.stdout.write(
                f"Fitted {domain.slug}: {fit.judgment_count} judgments (fit {fit.pk})."
            )
