"""Ranks within each component of the comparison graph.

A model's rank is one plus the number of models that are clearly better: models of the same
component whose whole interval lies above its interval. Two models whose intervals overlap
do not count against each other. Ranks depend only on the intervals, never on model order
or names.
"""

import numpy as np
import numpy.typing as npt

ARRAYS_MISMATCH = (
    "components, ci_lower and ci_upper must have one entry per model, got lengths "
    "{components}, {lower} and {upper}."
)


def ranks_from_intervals(
    components: npt.NDArray[np.int64],
    ci_lower: npt.NDArray[np.float64],
    ci_upper: npt.NDArray[np.float64],
) -> npt.NDArray[np.int64]:
    """Rank each model as 1 + the number of models in its component with ci_lower > its ci_upper.

    Parameters
    ----------
    components : numpy.ndarray of int64
        Component number of each model. Models of different components are never compared.
    ci_lower, ci_upper : numpy.ndarray of float64
        Interval bounds of each model.

    Returns
    -------
    numpy.ndarray of int64
        Rank of each model, from 1.

    Raises
    ------
    ValueError
        If the arrays differ in length.
    """
    components = np.asarray(components, dtype=np.int64)
    lower = np.asarray(ci_lower, dtype=np.float64)
    upper = np.asarray(ci_upper, dtype=np.float64)
    if not len(components) == len(lower) == len(upper):
        raise ValueError(
            ARRAYS_MISMATCH.format(components=len(components), lower=len(lower), upper=len(upper))
        )

    ranks = np.empty(len(components), dtype=np.int64)
    for component in np.unique(components):
        members = np.flatnonzero(components == component)
        sorted_lower = np.sort(lower[members])
        not_above = np.searchsorted(sorted_lower, upper[members], side="right")
        ranks[members] = 1 + len(members) - not_above
    return ranks


def ranks_from_ratings(
    components: npt.NDArray[np.int64], ratings: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """Rank each model as 1 + the number of models in its component with a higher rating.

    This is `ranks_from_intervals` with zero-width intervals, so equal ratings share a rank.
    """
    return ranks_from_intervals(components, ratings, ratings)
