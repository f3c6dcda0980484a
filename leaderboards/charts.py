"""Geometry of the rating-interval chart drawn as SVG on the leaderboard page.

The page draws it without JavaScript: this module only turns ratings and intervals into
coordinates, and the template escapes every model name.
"""

import math
from dataclasses import dataclass

from leaderboards.services.fit import StandingRow

CHART_WIDTH = 720
LABEL_WIDTH = 190
ROW_HEIGHT = 26
MARGIN = 24
TICK_STEP_CHOICES = (10, 20, 25, 50, 100, 200, 250, 500)


@dataclass(frozen=True)
class ChartRow:
    model: str
    y: float
    rating_x: float
    lower_x: float
    upper_x: float
    label: str


@dataclass(frozen=True)
class ChartTick:
    x: float
    label: str


@dataclass(frozen=True)
class IntervalChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_y: float
    rows: list[ChartRow]
    ticks: list[ChartTick]


def _tick_step(span: float) -> int:
    for step in TICK_STEP_CHOICES:
        if span / step <= 8:
            return step
    return TICK_STEP_CHOICES[-1]


def interval_chart(rows: list[StandingRow]) -> IntervalChart | None:
    """Lay out one line per model: a dot at the rating, a bar over its 95% interval."""
    if not rows:
        return None
    low = min(row.ci_lower if row.ci_lower is not None else row.rating for row in rows)
    high = max(row.ci_upper if row.ci_upper is not None else row.rating for row in rows)
    step = _tick_step(max(high - low, 1.0))
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    if stop == start:
        stop = start + step

    plot_left = LABEL_WIDTH
    plot_right = CHART_WIDTH - MARGIN

    def x_of(value: float) -> float:
        return plot_left + (value - start) / (stop - start) * (plot_right - plot_left)

    chart_rows = []
    for position, row in enumerate(rows):
        lower = row.ci_lower if row.ci_lower is not None else row.rating
        upper = row.ci_upper if row.ci_upper is not None else row.rating
        chart_rows.append(
            ChartRow(
                model=row.model,
                y=MARGIN + position * ROW_HEIGHT,
                rating_x=round(x_of(row.rating), 1),
                lower_x=round(x_of(lower), 1),
                upper_x=round(x_of(upper), 1),
                label=f"{row.rating:.0f}",
            )
        )
    axis_y = MARGIN + len(rows) * ROW_HEIGHT - ROW_HEIGHT / 2
    ticks = [
        ChartTick(x=round(x_of(value), 1), label=str(value))
        for value in range(int(start), int(stop) + 1, step)
    ]
    return IntervalChart(
        width=CHART_WIDTH,
        height=int(axis_y + MARGIN + 8),
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=axis_y,
        rows=chart_rows,
        ticks=ticks,
    )
