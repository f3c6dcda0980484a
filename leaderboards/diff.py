"""Differences between two snapshots of a leaderboard, keeping only the moves intervals support.

Rules, applied per model present in both snapshots:

- A rating change is real when the two 95% intervals do not overlap (the new lower bound is
  above the old upper bound, or the new upper bound below the old lower bound).
- A rank change is real when the two rank intervals do not overlap. A model's rank interval
  within its component runs from 1 + the number of models whose rating interval lies wholly
  above its own (its rank as published) to the component's size minus the number of models
  whose interval lies wholly below its own.
- Without intervals (a fit with no bootstrap), no change is called real.
"""

from dataclasses import dataclass
from typing import Literal

from leaderboards.services.fit import StandingRow

MoveKind = Literal["kept", "new", "removed"]


@dataclass(frozen=True)
class LeaderboardMove:
    model: str
    kind: MoveKind
    old_rank: int | None
    new_rank: int | None
    old_rating: float | None
    new_rating: float | None
    is_rating_change_real: bool
    is_rank_change_real: bool

    @property
    def rating_change(self) -> float | None:
        if self.old_rating is None or self.new_rating is None:
            return None
        return self.new_rating - self.old_rating

    @property
    def rank_change(self) -> int | None:
        """Places gained: positive when the model moved up."""
        if self.old_rank is None or self.new_rank is None:
            return None
        return self.old_rank - self.new_rank


def rank_interval(row: StandingRow, rows: list[StandingRow]) -> tuple[int, int] | None:
    """Return the best and worst rank the rating intervals allow, or None without intervals."""
    if row.ci_lower is None or row.ci_upper is None:
        return None
    peers = [other for other in rows if other.component == row.component and other is not row]
    above = sum(
        1 for other in peers if other.ci_lower is not None and other.ci_lower > row.ci_upper
    )
    below = sum(
        1 for other in peers if other.ci_upper is not None and other.ci_upper < row.ci_lower
    )
    return 1 + above, len(peers) + 1 - below


def _intervals_apart(old: tuple[float, float], new: tuple[float, float]) -> bool:
    """Return whether two closed intervals share no point."""
    return new[0] > old[1] or new[1] < old[0]


def _rating_interval(row: StandingRow) -> tuple[float, float] | None:
    if row.ci_lower is None or row.ci_upper is None:
        return None
    return row.ci_lower, row.ci_upper


def _is_rating_change_real(old: StandingRow, new: StandingRow) -> bool:
    old_interval = _rating_interval(old)
    new_interval = _rating_interval(new)
    if old_interval is None or new_interval is None:
        return False
    return _intervals_apart(old_interval, new_interval)


def _is_rank_change_real(
    old: StandingRow, old_rows: list[StandingRow], new: StandingRow, new_rows: list[StandingRow]
) -> bool:
    old_interval = rank_interval(old, old_rows)
    new_interval = rank_interval(new, new_rows)
    if old_interval is None or new_interval is None:
        return False
    return _intervals_apart(
        (float(old_interval[0]), float(old_interval[1])),
        (float(new_interval[0]), float(new_interval[1])),
    )


def leaderboard_diff(
    previous: list[StandingRow], current: list[StandingRow]
) -> list[LeaderboardMove]:
    """List each model of `current` in its order, then the models that `current` dropped."""
    old_by_model = {row.model: row for row in previous}
    moves: list[LeaderboardMove] = []
    for new in current:
        old = old_by_model.get(new.model)
        if old is None:
            moves.append(
                LeaderboardMove(new.model, "new", None, new.rank, None, new.rating, False, False)
            )
            continue
        moves.append(
            LeaderboardMove(
                model=new.model,
                kind="kept",
                old_rank=old.rank,
                new_rank=new.rank,
                old_rating=old.rating,
                new_rating=new.rating,
                is_rating_change_real=_is_rating_change_real(old, new),
                is_rank_change_real=_is_rank_change_real(old, previous, new, current),
            )
        )
    current_models = {row.model for row in current}
    for old in previous:
        if old.model not in current_models:
            moves.append(
                LeaderboardMove(
                    old.model, "removed", old.rank, None, old.rating, None, False, False
                )
            )
    return moves
