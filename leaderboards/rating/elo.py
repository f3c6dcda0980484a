"""The Elo scale on which ratings are published.

The fit works in natural-log strengths theta, where the Bradley-Terry model gives
P(i beats j) = 1 / (1 + exp(theta_j - theta_i)). Published ratings use the Elo convention
P(i beats j) = 1 / (1 + 10 ** ((R_j - R_i) / 400)), so R = BASE_RATING + ELO_SCALE * theta.
"""

import math

import numpy as np
import numpy.typing as npt

# Elo points per unit of natural-log strength: a 400-point gap means 10-to-1 odds.
ELO_SCALE = 400.0 / math.log(10.0)

# Mean rating of every connected component of the comparison graph, unless anchored.
BASE_RATING = 1000.0


def ratings_from_strengths(strengths: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Convert centred natural-log strengths to Elo ratings around BASE_RATING."""
    return BASE_RATING + ELO_SCALE * strengths
