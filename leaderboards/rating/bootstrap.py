"""Bootstrap resamples of the judgments, each refitted by Newton's method.

A resample draws as many judgments as the data has, with replacement, which is one
multinomial draw over the (pair, outcome) cells with probabilities cell count / total.
Rounds are drawn and fitted in blocks of BOOTSTRAP_BLOCK_ROUNDS. Each block has its own
generator, seeded from the caller's generator before any block is drawn, so the result
depends only on that generator and not on how many threads draw the blocks.
"""

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaderboards.rating.bradley_terry import fit_strengths, newton_matrix
from leaderboards.rating.counts import PairCounts
from leaderboards.rating.graph import strongly_connected_components
from leaderboards.rating.pair_graph import PairGraph

# Rounds per generator and per batched Newton fit. Changing it changes which random numbers
# each round gets, so a seed gives the same intervals only under the same value.
BOOTSTRAP_BLOCK_ROUNDS = 50


@dataclass(frozen=True)
class BootstrapStrengths:
    """Strengths fitted to every bootstrap round.

    Attributes
    ----------
    strengths : numpy.ndarray of float64, shape (rounds, models)
        Natural-log strengths of each round, each component centred on zero.
    virtual_tie_rounds : numpy.ndarray of int64, shape (components,)
        Entry ``c - 1`` counts the rounds that added virtual ties to component ``c`` because
        its resample had no exact estimate. Components that get virtual ties in the point fit
        get them in every round and count zero here.
    """

    strengths: npt.NDArray[np.float64]
    virtual_tie_rounds: npt.NDArray[np.int64]


@dataclass(frozen=True)
class _Block:
    """Pair weights of one block of resampled rounds, before any virtual ties."""

    wins: npt.NDArray[np.float64]
    totals: npt.NDArray[np.float64]
    first_beat_or_tied: npt.NDArray[np.bool_]
    second_beat_or_tied: npt.NDArray[np.bool_]


def bootstrap_strengths(
    graph: PairGraph,
    counts: PairCounts,
    *,
    rounds: int,
    rng: np.random.Generator,
    start: npt.NDArray[np.float64],
    virtual_tie_components: npt.NDArray[np.bool_],
    max_iterations: int,
    tolerance: float,
) -> BootstrapStrengths:
    """Fit Bradley-Terry strengths to `rounds` resamples of the judgments.

    Every round starts Newton's method from `start`, the point fit. A component listed in
    `virtual_tie_components` gets one virtual tie on each of its pairs in every round, as
    in the point fit. A resample can lose every win of a pair, or every judgment of it. Any
    other component whose resampled win-or-tie graph is then not strongly connected gets
    one virtual tie on each pair it has in the full data, in that round only.

    Parameters
    ----------
    graph : PairGraph
        The compared pairs of the full data and their components.
    counts : PairCounts
        Counts of exactly the pairs in `graph`. Counts should be whole numbers: a resample
        draws their total, rounded to the nearest integer, judgments.
    rounds : int
        Number of resamples. Must be positive.
    rng : numpy.random.Generator
        Source of every random draw.
    start : numpy.ndarray of float64, shape (models,)
        Point-fit strengths, the starting point of every round.
    virtual_tie_components : numpy.ndarray of bool, shape (components,)
        Entry ``c - 1`` is True for each component that had virtual ties in the point fit.
    max_iterations, tolerance
        As in `fit_strengths`.

    Returns
    -------
    BootstrapStrengths

    Raises
    ------
    FitDidNotConverge
        If any round does not converge. The message names the block of rounds.
    """
    cells = np.column_stack([counts.first_wins, counts.second_wins, counts.ties]).ravel()
    drawn_cells = np.flatnonzero(cells > 0)
    # NOTE: non-integer counts are resampled as rint(total) judgments over their cells.
    judgment_count = int(np.rint(cells.sum()))
    probabilities = cells[drawn_cells] / cells.sum()
    pair_components = graph.components[graph.first] - 1
    ruled_pairs = virtual_tie_components[pair_components]
    # Win-or-tie edges of the full data, left out in components that always get virtual ties.
    full_edges = (
        ((counts.first_wins + counts.ties) > 0) & ~ruled_pairs,
        ((counts.second_wins + counts.ties) > 0) & ~ruled_pairs,
    )

    # Resamples resemble the full data, so the inverse Newton matrix at the point fit serves
    # every round's first steps (see fit_strengths).
    shared_inverse = np.asarray(
        np.linalg.inv(newton_matrix(graph, counts.totals + ruled_pairs, start)), dtype=np.float64
    )

    block_sizes = _block_sizes(rounds)
    seeds = rng.integers(0, np.iinfo(np.int64).max, size=len(block_sizes), dtype=np.int64)
    strengths = np.empty((rounds, graph.model_count))
    virtual_tie_rounds = np.zeros(graph.component_count, dtype=np.int64)

    def draw(seed: np.int64, size: int) -> _Block:
        pair_count = len(pair_components)
        return _draw_block(seed, size, judgment_count, probabilities, drawn_cells, pair_count)

    offset = 0
    for block in _in_order(draw, seeds, block_sizes):
        size = block.wins.shape[0]
        wins, totals = block.wins, block.totals
        wins[:, ruled_pairs] += 0.5
        totals[:, ruled_pairs] += 1.0
        failed = _failed_components(graph, block, full_edges, virtual_tie_components)
        virtual_tie_rounds += failed.sum(axis=0)
        failed_pairs = failed[:, pair_components]
        wins += 0.5 * failed_pairs
        totals += failed_pairs

        fit = fit_strengths(
            graph,
            wins,
            totals,
            np.broadcast_to(start, (size, graph.model_count)),
            max_iterations=max_iterations,
            tolerance=tolerance,
            context=f"of bootstrap rounds {offset + 1} to {offset + size}",
            shared_inverse=shared_inverse,
        )
        strengths[offset : offset + size] = fit.strengths
        offset += size
    return BootstrapStrengths(strengths=strengths, virtual_tie_rounds=virtual_tie_rounds)


def _block_sizes(rounds: int) -> list[int]:
    full, rest = divmod(rounds, BOOTSTRAP_BLOCK_ROUNDS)
    return [BOOTSTRAP_BLOCK_ROUNDS] * full + ([rest] if rest else [])


def _in_order(
    draw: Callable[[np.int64, int], _Block], seeds: npt.NDArray[np.int64], sizes: list[int]
) -> Iterator[_Block]:
    """Yield the drawn blocks in order while worker threads draw the next ones.

    Generator.multinomial releases the GIL, so drawing overlaps with fitting. At most one
    block per worker waits to be fitted, which bounds the memory in use.
    """
    workers = min(len(sizes), _available_cores())
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as executor:
        pending: deque[Future[_Block]] = deque()
        for seed, size in zip(seeds, sizes, strict=True):
            pending.append(executor.submit(draw, seed, size))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _draw_block(
    seed: np.int64,
    size: int,
    judgment_count: int,
    probabilities: npt.NDArray[np.float64],
    drawn_cells: npt.NDArray[np.int64],
    pair_count: int,
) -> _Block:
    generator = np.random.default_rng(int(seed))
    flat_cells = np.zeros((size, 3 * pair_count))
    flat_cells[:, drawn_cells] = generator.multinomial(judgment_count, probabilities, size=size)
    cells = flat_cells.reshape(size, pair_count, 3)
    first_wins, second_wins, ties = cells[:, :, 0], cells[:, :, 1], cells[:, :, 2]
    return _Block(
        wins=first_wins + 0.5 * ties,
        totals=first_wins + second_wins + ties,
        first_beat_or_tied=(first_wins + ties) > 0,
        second_beat_or_tied=(second_wins + ties) > 0,
    )


def _failed_components(
    graph: PairGraph,
    block: _Block,
    full_edges: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
    virtual_tie_components: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Return, per round and component, whether the resample lost its exact estimate.

    Only components without virtual ties in the point fit can fail. A resample only keeps or
    loses the directed edges of the full data, so a round that kept every edge of such a
    component is still strongly connected there, and only rounds that lost an edge need the
    graph search.
    """
    full_first, full_second = full_edges
    lost = (full_first & ~block.first_beat_or_tied) | (full_second & ~block.second_beat_or_tied)
    failed = np.zeros((lost.shape[0], graph.component_count), dtype=np.bool_)
    for round_index in np.flatnonzero(lost.any(axis=1)):
        exact = strongly_connected_components(
            graph.components,
            graph.first,
            graph.second,
            block.first_beat_or_tied[round_index],
            block.second_beat_or_tied[round_index],
        )
        failed[round_index] = ~exact & ~virtual_tie_components
    return failed
