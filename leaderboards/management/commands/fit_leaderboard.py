import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotation.battle_file import parse_judgment_text
from annotation.import_file import read_text_file
from experts.selectors import domain_get_by_slug
from leaderboards.fit_input import fit_input_from_parsed
from leaderboards.selectors import fit_standing_rows, leaderboard_payload
from leaderboards.services.fit import Anchor, StandingRow, fit_compute, fit_create
from seal_platform.errors import SealError


def parse_anchor(value: str | None) -> Anchor | None:
    if value is None:
        return None
    model, separator, rating = value.rpartition("=")
    try:
        number = float(rating)
    except ValueError:
        number = float("nan")
    if not separator or not model or number != number or abs(number) == float("inf"):
        raise CommandError(
            f"--anchor expects MODEL=RATING with a finite number, for example gpt-4=1200; "
            f"got {value!r}."
        )
    return Anchor(model=model, rating=number)


def format_table(rows: list[StandingRow]) -> list[str]:
    lines: list[str] = []
    width = max([len(row.model) for row in rows] + [5])
    for component in sorted({row.component for row in rows}):
        members = [row for row in rows if row.component == component]
        if component != rows[0].component:
            lines.append("")
        lines.append(f"component {component} ({len(members)} models; ranks apply within it)")
        lines.append(
            f"{'rank':>4}  {'model':<{width}}  {'rating':>7}  {'95% interval':>18}  "
            f"{'judgments':>9}  {'W-L-T':>14}  {'win rate':>8}"
        )
        for row in members:
            interval = (
                f"[{row.ci_lower:7.1f}, {row.ci_upper:7.1f}]"
                if row.ci_lower is not None and row.ci_upper is not None
                else "-"
            )
            record = f"{row.wins}-{row.losses}-{row.ties}"
            lines.append(
                f"{row.rank:>4}  {row.model:<{width}}  {row.rating:7.1f}  {interval:>18}  "
                f"{row.judgments:>9}  {record:>14}  {row.win_rate:8.3f}"
            )
    return lines


class Command(BaseCommand):
    help = (
        "Fit a Bradley-Terry leaderboard with bootstrap intervals, from a domain's accepted "
        "judgments (the fit is stored) or from a battle file (nothing is stored)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--domain", help="Slug of the domain to fit; the fit is stored.")
        source.add_argument(
            "--file", type=Path, help="Battle file (JSON or JSONL) to fit without storing it."
        )
        parser.add_argument(
            "--bootstrap",
            type=int,
            default=settings.LEADERBOARD_BOOTSTRAP_ROUNDS,
            help="Bootstrap rounds for the 95%% intervals; 0 for none (default: %(default)s).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=settings.LEADERBOARD_SEED,
            help="Seed of the bootstrap's random generator (default: %(default)s).",
        )
        parser.add_argument(
            "--anchor",
            metavar="MODEL=RATING",
            help="Shift the model's component so that MODEL sits at RATING.",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = parse_anchor(options["anchor"])
        if options["bootstrap"] < 0:
            raise CommandError(
                f"--bootstrap must be 0 or more, not {options['bootstrap']}. Use 0 for no "
                "intervals."
            )
        try:
            payload = self._fit(options, anchor)
        except SealError as error:
            raise CommandError(error.message) from error

        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self._print_table(payload, options)

    def _fit(self, options: dict[str, Any], anchor: Anchor | None) -> dict[str, Any]:
        if options["domain"] is not None:
            domain = domain_get_by_slug(slug=options["domain"])
            fit = fit_create(
                domain=domain,
                bootstrap_rounds=options["bootstrap"],
                seed=options["seed"],
                anchor=anchor,
            )
            return leaderboard_payload(
                domain=domain, rows=fit_standing_rows(fit=fit), warnings=fit.warnings
            )

        path: Path = options["file"]
        text, _ = read_text_file(path)
        fit_input = fit_input_from_parsed(parse_judgment_text(text, file_name=path.name))
        computed = fit_compute(
            fit_input=fit_input,
            bootstrap_rounds=options["bootstrap"],
            seed=options["seed"],
            anchor=anchor,
        )
        return leaderboard_payload(domain=None, rows=computed.rows, warnings=computed.warnings)

    def _print_table(self, payload: dict[str, Any], options: dict[str, Any]) -> None:
        rows = [StandingRow(**row) for row in payload["models"]]
        source = payload["domain"] or str(options["file"])
        judgments = sum(row.judgments for row in rows) // 2
        self.stdout.write(
            f"{source}: {judgments} judgments, {len(rows)} models, "
            f"{options['bootstrap']} bootstrap rounds, seed {options['seed']}"
        )
        for line in format_table(rows):
            self.stdout.write(line)
        for warning in payload["warnings"]:
            self.stdout.write(f"warning: {warning}")
