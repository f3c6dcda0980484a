"""Snapshot diffs: which rating and rank moves the intervals call real."""

from leaderboards.diff import LeaderboardMove, leaderboard_diff, rank_interval
from leaderboards.services.fit import StandingRow


def row(
    model: str, rating: float, interval: tuple[float, float] | None, rank: int, component: int = 1
) -> StandingRow:
    lower, upper = interval if interval is not None else (None, None)
    return StandingRow(model, rating, lower, upper, rank, component, 10, 5, 5, 0, 0.5)


OLD = [
    row("alpha", 1100.0, (1080.0, 1120.0), 1),
    row("beta", 1000.0, (990.0, 1010.0), 2),
    row("gamma", 990.0, (960.0, 1030.0), 2),
    row("delta", 900.0, (880.0, 920.0), 4),
]
NEW = [
    row("beta", 1130.0, (1115.0, 1145.0), 1),
    row("alpha", 1100.0, (1085.0, 1112.0), 2),
    row("gamma", 985.0, (955.0, 1020.0), 3),
    row("epsilon", 800.0, (780.0, 820.0), 4),
]


def test_rank_interval_spans_what_the_intervals_allow() -> None:
    assert rank_interval(OLD[0], OLD) == (1, 1)
    assert rank_interval(OLD[1], OLD) == (2, 3)
    assert rank_interval(OLD[2], OLD) == (2, 3)
    assert rank_interval(OLD[3], OLD) == (4, 4)


def test_rank_interval_is_none_without_bootstrap() -> None:
    plain = row("alpha", 1000.0, None, 1)

    assert rank_interval(plain, [plain]) is None


def test_rank_interval_counts_only_its_component() -> None:
    rows = [row("alpha", 1100.0, (1090.0, 1110.0), 1), row("beta", 900.0, (890.0, 910.0), 1, 2)]

    assert rank_interval(rows[1], rows) == (1, 1)


def test_diff_marks_real_and_uncertain_moves() -> None:
    moves = {move.model: move for move in leaderboard_diff(OLD, NEW)}

    assert moves["beta"] == LeaderboardMove("beta", "kept", 2, 1, 1000.0, 1130.0, True, True)
    assert moves["alpha"] == LeaderboardMove("alpha", "kept", 1, 2, 1100.0, 1100.0, False, True)
    assert moves["gamma"] == LeaderboardMove("gamma", "kept", 2, 3, 990.0, 985.0, False, False)
    assert moves["epsilon"] == LeaderboardMove("epsilon", "new", None, 4, None, 800.0, False, False)
    assert moves["delta"] == LeaderboardMove("delta", "removed", 4, None, 900.0, None, False, False)


def test_diff_lists_current_order_then_removed() -> None:
    models = [move.model for move in leaderboard_diff(OLD, NEW)]

    assert models == ["beta", "alpha", "gamma", "epsilon", "delta"]


def test_moves_report_signed_changes() -> None:
    moves = {move.model: move for move in leaderboard_diff(OLD, NEW)}

    assert moves["beta"].rank_change == 1
    assert moves["alpha"].rank_change == -1
    assert moves["beta"].rating_change == 130.0
    assert moves["epsilon"].rating_change is None


def test_nothing_is_real_without_intervals() -> None:
    old = [row("alpha", 1000.0, None, 1), row("beta", 900.0, None, 2)]
    new = [row("beta", 1200.0, None, 1), row("alpha", 800.0, None, 2)]

    moves = leaderboard_diff(old, new)

    assert [(move.is_rating_change_real, move.is_rank_change_real) for move in moves] == [
        (False, False),
        (False, False),
    ]
