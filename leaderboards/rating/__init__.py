"""Bradley-Terry leaderboard ratings from pairwise judgments.

Pure numpy and scipy: this package imports no Django and nothing else from the project, so
it can be tested and benchmarked on its own.
"""

from leaderboards.rating.counts import (
    OUTCOME_A_WINS,
    OUTCOME_B_WINS,
    OUTCOME_TIE,
    PairCounts,
    pair_counts_from_judgments,
    pair_counts_from_table,
)
from leaderboards.rating.elo import BASE_RATING, ELO_SCALE
from leaderboards.rating.errors import FitDidNotConverge
from leaderboards.rating.leaderboard import DEFAULT_TOLERANCE, LeaderboardFit, fit_leaderboard
from leaderboards.rating.ranking import ranks_from_intervals, ranks_from_ratings

__all__ = [
    "BASE_RATING",
    "DEFAULT_TOLERANCE",
    "ELO_SCALE",
    "OUTCOME_A_WINS",
    "OUTCOME_B_WINS",
    "OUTCOME_TIE",
    "FitDidNotConverge",
    "LeaderboardFit",
    "PairCounts",
    "fit_leaderboard",
    "pair_counts_from_judgments",
    "pair_counts_from_table",
    "ranks_from_intervals",
    "ranks_from_ratings",
]
