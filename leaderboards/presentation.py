"""Building blocks of the leaderboard pages: tables per component, charts, dimension sections.

Shared by the public pages (snapshots, or the latest fit before the first snapshot) and the
staff pages (any fit).
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.core.cache import cache

from leaderboards import plots
from leaderboards.charts import IntervalChart, interval_chart
from leaderboards.services.fit import VERDICT_LEADERBOARD, StandingRow

CHART_KINDS: dict[str, Callable[[list[StandingRow], list[list[Any]]], bytes]] = {
    "ratings": lambda rows, pairs: plots.ratings_svg(rows),
    "win-rates": lambda rows, pairs: plots.win_rate_matrix_svg([row.model for row in rows], pairs),
    "judgment-counts": lambda rows, pairs: plots.count_matrix_svg(
        [row.model for row in rows], pairs
    ),
}


@dataclass(frozen=True)
class ComponentTable:
    number: int
    rows: list[StandingRow]
    chart: IntervalChart | None


@dataclass(frozen=True)
class LeaderboardSection:
    """One leaderboard on a page: the verdict's (key '') or a dimension's."""

    key: str
    label: str
    components: list[ComponentTable]

    @property
    def is_verdict(self) -> bool:
        return self.key == VERDICT_LEADERBOARD

    @property
    def model_count(self) -> int:
        return sum(len(component.rows) for component in self.components)


def component_tables(rows: list[StandingRow]) -> list[ComponentTable]:
    return [
        ComponentTable(number=number, rows=members, chart=interval_chart(members))
        for number, members in (
            (key, list(group)) for key, group in groupby(rows, key=lambda row: row.component)
        )
    ]


def leaderboard_sections(
    dimensions: list[dict[str, str]], rows_of: Callable[[str], list[StandingRow]]
) -> list[LeaderboardSection]:
    """Return the verdict's section, then one per fitted dimension, in the stored order."""
    sections = [
        LeaderboardSection(
            key=VERDICT_LEADERBOARD,
            label="Overall verdict",
            components=component_tables(rows_of(VERDICT_LEADERBOARD)),
        )
    ]
    for dimension in dimensions:
        sections.append(
            LeaderboardSection(
                key=dimension["key"],
                label=dimension["label"],
                components=component_tables(rows_of(dimension["key"])),
            )
        )
    return sections


def chart_svg(
    *,
    cache_key: str,
    kind: str,
    rows: list[StandingRow],
    pair_table: list[list[Any]],
) -> bytes:
    """Return a chart's SVG, drawn once per cache key; the caller checks that `kind` exists."""
    cached = cache.get(cache_key)
    if isinstance(cached, bytes):
        return cached
    svg = CHART_KINDS[kind](rows, pair_table)
    cache.set(cache_key, svg, timeout=None)
    return svg
