"""The compared pairs of a fit, as linear maps between pair values and model values."""

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix


class PairGraph:
    """Compared pairs and their components, shared by the point fit and every bootstrap round.

    Methods work on batches: model values have shape (rows, models) and pair values have
    shape (rows, pairs), one row per data set.

    Parameters
    ----------
    model_count : int
        Number of models.
    first, second : numpy.ndarray of int64
        Model indices of each compared pair, ``first < second``.
    components : numpy.ndarray of int64
        Component number of each model, counted from 1 without gaps.
    """

    def __init__(
        self,
        model_count: int,
        first: npt.NDArray[np.int64],
        second: npt.NDArray[np.int64],
        components: npt.NDArray[np.int64],
    ) -> None:
        self.model_count = model_count
        self.first = first
        self.second = second
        self.components = components

        # Signed incidence matrix: row p has +1 at first[p] and -1 at second[p].
        pair_count = len(first)
        rows = np.repeat(np.arange(pair_count), 2)
        columns = np.column_stack([first, second]).ravel()
        signs = np.tile(np.array([1.0, -1.0]), pair_count)
        shape = (pair_count, model_count)
        self._incidence = csr_matrix((signs, (rows, columns)), shape=shape)
        self._incidence_transposed = self._incidence.T.tocsr()
        self._unsigned_transposed = abs(self._incidence_transposed)

        component_count = int(components.max(initial=0))
        self._membership: npt.NDArray[np.float64] = np.zeros((model_count, component_count))
        self._membership[np.arange(model_count), components - 1] = 1.0
        self._sizes: npt.NDArray[np.float64] = self._membership.sum(axis=0)
        self._same_component = (self._membership @ self._membership.T).ravel()
        self._first_second = first * model_count + second
        self._second_first = second * model_count + first
        self._diagonal = np.arange(model_count) * (model_count + 1)

    @property
    def component_count(self) -> int:
        return int(self._sizes.shape[0])

    def differences(self, strengths: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Return strength[first] - strength[second] for every row and pair."""
        return np.ascontiguousarray((self._incidence @ strengths.T).T)

    def signed_sums(self, pair_values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Add each pair's value to its first model and subtract it from its second."""
        return np.ascontiguousarray((self._incidence_transposed @ pair_values.T).T)

    def centre(self, strengths: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Shift every component of every row to mean zero."""
        means = (strengths @ self._membership) / self._sizes
        return strengths - means[:, self.components - 1]

    def laplacian_systems(self, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Return L + J for each row, shape (rows, models, models).

        L is the graph Laplacian with the row's pair weights, and J has a 1 wherever two
        models share a component. L + J is positive definite when every component is
        connected by pairs of positive weight. For a vector g that sums to zero over each
        component, the solution x of (L + J) x = g also sums to zero over each component
        and solves L x = g.
        """
        size = self.model_count * self.model_count
        systems = np.empty((weights.shape[0], size))
        systems[:] = self._same_component
        systems[:, self._first_second] -= weights
        systems[:, self._second_first] -= weights
        unsigned_sums = (self._unsigned_transposed @ weights.T).T
        systems[:, self._diagonal] += unsigned_sums
        return systems.reshape(-1, self.model_count, self.model_count)
