"""Server-side pictures of a leaderboard, drawn with matplotlib's Agg backend as SVG.

Three pictures: ratings with their 95% intervals, the pairwise win-rate matrix and the
judgment-count matrix. Text stays text in the SVG (`svg.fonttype = "none"`), so the browser
draws model names in any script with its own fonts, and matplotlib escapes them as XML.
The output carries no date and fixed element IDs, so one leaderboard always gives the same
bytes.
"""

import io
import math
import warnings
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402  # after choosing the backend
import numpy.typing as npt  # noqa: E402
from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from leaderboards.services.fit import StandingRow  # noqa: E402

# rc_context's stubs list every key as a literal; a plain dict of them passes as Any keys.
SVG_SETTINGS: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "seal-leaderboard",
    "font.family": "sans-serif",
    "font.size": 10,
}
ROW_INCHES = 0.32
MATRIX_CELL_INCHES = 0.42
# Matrices of many models shrink their cells so that the picture stays about this wide.
MATRIX_MAX_INCHES = 12.0
MAX_ANNOTATED_MODELS = 16


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with rc_context(SVG_SETTINGS), warnings.catch_warnings():
        # Text stays text in the SVG, so a glyph missing from matplotlib's own font (an emoji,
        # say) only makes its width estimate rough. The browser draws it with its own fonts.
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def ratings_svg(rows: Sequence[StandingRow]) -> bytes:
    """Draw one line per model in the given order: a dot at the rating, a bar over its interval."""
    with rc_context(SVG_SETTINGS):
        figure = Figure(figsize=(7.5, 1.0 + ROW_INCHES * max(len(rows), 1)))
        axes = figure.subplots()
        positions = np.arange(len(rows))[::-1]
        ratings = np.array([row.rating for row in rows])
        lower = np.array([row.ci_lower if row.ci_lower is not None else row.rating for row in rows])
        upper = np.array([row.ci_upper if row.ci_upper is not None else row.rating for row in rows])
        axes.hlines(positions, lower, upper, color="#4c72b0", linewidth=3, alpha=0.55)
        axes.plot(ratings, positions, "o", color="#1f3b73", markersize=6)
        axes.set_yticks(positions, [f"{row.rank}. {row.model}" for row in rows])
        axes.set_xlabel("Rating (Elo scale), with 95% bootstrap interval")
        axes.grid(axis="x", color="#dddddd")
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_ylim(-0.7, len(rows) - 0.3)
        # Ratings of different components are not comparable: a dashed line separates them.
        for index in range(1, len(rows)):
            if rows[index].component != rows[index - 1].component:
                axes.axhline(positions[index] + 0.5, color="#999999", linestyle="--")
    return _svg(figure)


def pair_matrices(
    names: Sequence[str], pair_table: Sequence[Sequence[str | int]]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return (win rate, judgment count) matrices over `names`, row model against column model.

    The win rate counts a tie as half a win. A pair never compared has NaN win rate and a
    count of zero.
    """
    index = {name: position for position, name in enumerate(names)}
    counts = np.zeros((len(names), len(names)))
    wins = np.zeros((len(names), len(names)))
    for first, second, first_wins, second_wins, ties in pair_table:
        if first not in index or second not in index:
            continue
        i, j = index[str(first)], index[str(second)]
        total = float(first_wins) + float(second_wins) + float(ties)
        counts[i, j] = counts[j, i] = total
        wins[i, j] = float(first_wins) + 0.5 * float(ties)
        wins[j, i] = float(second_wins) + 0.5 * float(ties)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(counts > 0, wins / np.where(counts > 0, counts, 1.0), np.nan)
    return rates, counts


def _heatmap(
    values: npt.NDArray[np.float64],
    names: Sequence[str],
    *,
    colormap: str,
    value_range: tuple[float, float],
    label: str,
    cell_text: list[list[str]],
) -> bytes:
    cell = min(MATRIX_CELL_INCHES, MATRIX_MAX_INCHES / max(len(names), 1))
    size = 2.5 + cell * max(len(names), 1)
    label_size = 9 if len(names) <= MAX_ANNOTATED_MODELS else 6
    with rc_context({**SVG_SETTINGS, "xtick.labelsize": label_size, "ytick.labelsize": label_size}):
        figure = Figure(figsize=(size + 1.5, size))
        axes = figure.subplots()
        masked = np.ma.masked_invalid(values)
        image = axes.imshow(
            masked, cmap=colormap, vmin=value_range[0], vmax=value_range[1], aspect="equal"
        )
        axes.set_xticks(range(len(names)), list(names), rotation=45, ha="right")
        axes.set_yticks(range(len(names)), list(names))
        axes.set_xlabel("Opponent (column)")
        axes.set_ylabel("Model (row)")
        if len(names) <= MAX_ANNOTATED_MODELS:
            for i, row in enumerate(cell_text):
                for j, text in enumerate(row):
                    if text:
                        red, green, blue, _ = image.cmap(image.norm(values[i, j]))
                        # Relative luminance (ITU-R BT.601 weights): dark cells get white text.
                        is_dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                        color = "white" if is_dark else "black"
                        axes.text(j, i, text, ha="center", va="center", fontsize=8, color=color)
        figure.colorbar(image, ax=axes, label=label, shrink=0.8)
    return _svg(figure)


def win_rate_matrix_svg(names: Sequence[str], pair_table: Sequence[Sequence[str | int]]) -> bytes:
    """Draw how often the row model beat the column model (ties count half); blank if never met."""
    rates, _ = pair_matrices(names, pair_table)
    text = [["" if math.isnan(value) else f"{value:.2f}" for value in row] for row in rates]
    return _heatmap(
        rates,
        names,
        colormap="RdBu",
        value_range=(0.0, 1.0),
        label="Win rate of the row model (ties count half)",
        cell_text=text,
    )


def count_matrix_svg(names: Sequence[str], pair_table: Sequence[Sequence[str | int]]) -> bytes:
    """Draw how many judgments compared each pair of models."""
    _, counts = pair_matrices(names, pair_table)
    text = [[f"{int(value)}" if value > 0 else "" for value in row] for row in counts]
    shown = np.where(counts > 0, counts, np.nan)
    top = float(counts.max()) if counts.size and counts.max() > 0 else 1.0
    return _heatmap(
        shown,
        names,
        colormap="Greens",
        value_range=(0.0, top),
        label="Judgments of the pair",
        cell_text=text,
    )
