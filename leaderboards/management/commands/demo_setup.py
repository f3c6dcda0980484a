import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from annotation.services.demo_work import demo_work_ensure
from annotation.services.gold_items import gold_items_from_consensus
from annotation.services.mtbench_import import MTBENCH_DOMAIN, mtbench_import_folder
from experts.models import Domain, QualificationTest
from experts.selectors import domain_list
from experts.services.demo_accounts import DemoAccount, demo_accounts_ensure
from leaderboards.fit_input import DomainHasNoJudgments
from leaderboards.services.fit import fit_create
from seal_platform.errors import SealError

GOLD_ITEMS_PER_DOMAIN = 20
DEMO_TEST_ITEMS = 5


class Command(BaseCommand):
    help = (
        "Load the MT-bench judgments from the shared data folder, fit every domain's "
        "leaderboard, set up qualification tests and demo accounts. Running it again reuses "
        "what is stored and prints fresh demo passwords."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self._import()
        self._fit_all()
        category_domains = list(Domain.objects.filter(parent__slug=MTBENCH_DOMAIN))
        self._qualification_tests(category_domains)
        accounts = demo_accounts_ensure(domains=category_domains)
        staff = User.objects.get(username=accounts[0].username)
        for line in demo_work_ensure(domains=category_domains, staff_user=staff):
            self.stdout.write(line)
        self._print_accounts(accounts)

    def _import(self) -> None:
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
        state = "imported" if result.is_new else "already imported, reused"
        self.stdout.write(f"MT-bench: {result.judgment_import.judgment_count} judgments {state}.")

    def _fit_all(self) -> None:
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

    def _qualification_tests(self, domains: list[Domain]) -> None:
        for domain in domains:
            test, _ = QualificationTest.objects.get_or_create(
                domain=domain, defaults={"item_count": DEMO_TEST_ITEMS}
            )
            added = gold_items_from_consensus(
                source=domain, test=test, limit=GOLD_ITEMS_PER_DOMAIN - test.items.count()
            )
            self.stdout.write(
                f"Qualification test for {domain.slug}: {test.items.count()} gold items "
                f"({added} new) from comparisons its judges agreed on."
            )

    def _print_accounts(self, accounts: list[DemoAccount]) -> None:
        self.stdout.write("")
        self.stdout.write(
            "Demo accounts (passwords are new on every run; log in at /accounts/login/):"
        )
        for account in accounts:
            self.stdout.write(f"  {account.role:<20} {account.username:<14} {account.password}")
