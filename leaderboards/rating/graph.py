"""Connectivity of the comparison graph, which decides whether an exact estimate exists.

The Bradley-Terry maximum-likelihood estimate is finite and unique, up to one shift per
component, exactly when every connected component of the comparison graph is strongly
connected as a directed graph with an edge i -> j wherever i beat or tied j. A tie adds
edges both ways. Otherwise some group of models never beat or tied the rest of its
component, and the likelihood keeps growing as that group's ratings go to minus infinity.
"""

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def comparison_components(
    model_count: int, first: npt.NDArray[np.int64], second: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Label each model with its connected component in the comparison graph.

    Parameters
    ----------
    model_count : int
        Number of models.
    first, second : numpy.ndarray of int64
        The two models of each compared pair. Pass only pairs with at least one judgment.

    Returns
    -------
    numpy.ndarray of int64
        Component number of each model, counted from 1. Larger components come first, and
        components of equal size are ordered by their smallest model index. A model without
        judgments forms a component of its own.
    """
    adjacency = _directed_adjacency(model_count, first, second)
    component_count, labels = connected_components(adjacency, directed=True, connection="weak")
    sizes = np.bincount(labels, minlength=component_count)
    smallest_member = np.full(component_count, model_count, dtype=np.int64)
    np.minimum.at(smallest_member, labels, np.arange(model_count, dtype=np.int64))

    order = np.lexsort((smallest_member, -sizes))
    numbers = np.empty(component_count, dtype=np.int64)
    numbers[order] = np.arange(1, component_count + 1, dtype=np.int64)
    model_components: npt.NDArray[np.int64] = numbers[labels]
    return model_components


def strongly_connected_components(
    components: npt.NDArray[np.int64],
    first: npt.NDArray[np.int64],
    second: npt.NDArray[np.int64],
    first_beat_or_tied: npt.NDArray[np.bool_],
    second_beat_or_tied: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Test, for each component, whether its win-or-tie graph is strongly connected.

    Parameters
    ----------
    components : numpy.ndarray of int64
        Component number of each model, counted from 1, as from `comparison_components`.
    first, second : numpy.ndarray of int64
        The two models of each pair.
    first_beat_or_tied, second_beat_or_tied : numpy.ndarray of bool
        Whether the first (second) model won or tied at least one judgment of the pair.

    Returns
    -------
    numpy.ndarray of bool
        Entry ``c - 1`` is True when component ``c`` has an exact maximum-likelihood
        estimate. A component whose pairs lost every judgment in this data, for example a
        bootstrap resample, is not strongly connected unless it has a single model.
    """
    model_count = len(components)
    sources = np.concatenate([first[first_beat_or_tied], second[second_beat_or_tied]])
    targets = np.concatenate([second[first_beat_or_tied], first[second_beat_or_tied]])
    adjacency = _directed_adjacency(model_count, sources, targets)
    strong_count, strong_labels = connected_components(
        adjacency, directed=True, connection="strong"
    )

    # A component is strongly connected when all its models share one strong label.
    component_count = int(components.max(initial=0))
    labelled = np.unique((components - 1) * strong_count + strong_labels)
    strong_per_component = np.bincount(labelled // strong_count, minlength=component_count)
    return np.asarray(strong_per_component == 1, dtype=np.bool_)


def _directed_adjacency(
    model_count: int, sources: npt.NDArray[np.int64], targets: npt.NDArray[np.int64]
) -> csr_matrix:
    weights = np.ones(len(sources), dtype=np.int8)
    return csr_matrix((weights, (sources, targets)), shape=(model_count, model_count))
