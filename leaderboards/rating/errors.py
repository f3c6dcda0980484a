"""Errors raised by the rating modules.

Input errors are plain ``ValueError`` with the messages below, so callers and tests can
match the exact text. Callers translate them into the platform's own errors.
"""

# Messages for invalid input. Each one names the offending value and how to fix it.
ARRAY_NOT_ONE_DIMENSIONAL = "{name} must be a one-dimensional array, got shape {shape}."
ARRAY_NOT_INTEGER = "{name} must contain integers, got dtype {dtype}."
ARRAY_NOT_NUMERIC = "{name} must contain numbers, got dtype {dtype}."
ARRAY_LENGTH_MISMATCH = (
    "{name} has {length} entries but {reference_name} has {reference_length}. "
    "Pass one entry per row in every array."
)
MODEL_COUNT_INVALID = "model_count must be a non-negative integer, got {model_count!r}."
MODEL_INDEX_OUT_OF_RANGE = (
    "{name}[{position}] is {value}, which is outside the model indices 0 to {last_index}. "
    "Pass a model_count that covers every model index."
)
SELF_COMPARISON = (
    "Row {position} compares model {model} with itself. "
    "Each judgment must compare two different models."
)
OUTCOME_UNKNOWN = (
    "outcome[{position}] is {value}, which is not a known outcome code. "
    "Use 0 (model_a wins), 1 (model_b wins) or 2 (tie)."
)
COUNT_INVALID = (
    "{name}[{position}] is {value}, which is not a valid count. "
    "Counts must be finite and non-negative."
)
PAIR_NOT_ORDERED = (
    "Pair {position} is ({first}, {second}), but first must be smaller than second. "
    "Store each unordered pair once, smaller model index first."
)
PAIR_DUPLICATED = (
    "Pair {position} repeats the pair ({first}, {second}). "
    "Store each pair once, sorted by (first, second)."
)
PAIRS_NOT_SORTED = (
    "Pair {position} ({first}, {second}) comes after a larger pair. "
    "Sort the pairs by (first, second)."
)
MODEL_NAMES_MISMATCH = (
    "model_names has {name_count} names but the counts cover {model_count} models. "
    "Pass one name per model index."
)
MODEL_WITHOUT_JUDGMENTS = (
    "Model {name!r} (index {index}) has no judgments, so it has no rating. "
    "Leave models without judgments out of the counts."
)
NO_MODELS = "The counts contain no models and no judgments, so there is nothing to rate."
BOOTSTRAP_ROUNDS_INVALID = "bootstrap_rounds must be a non-negative integer, got {rounds!r}."
MAX_ITERATIONS_INVALID = "max_iterations must be a positive integer, got {max_iterations!r}."
TOLERANCE_INVALID = "tolerance must be a positive finite number of Elo points, got {tolerance!r}."
ANCHOR_MODEL_INVALID = (
    "The anchor model index {index!r} is outside the model indices 0 to {last_index}."
)
ANCHOR_RATING_INVALID = "The anchor rating {rating!r} is not a finite number."


class FitDidNotConverge(Exception):
    """Newton's method stopped at its iteration limit before the step fell below tolerance.

    Attributes
    ----------
    iterations : int
        Newton iterations run before stopping.
    last_change : float
        Largest rating change of the last iteration, in Elo points.
    """

    def __init__(self, *, iterations: int, last_change: float, context: str = "") -> None:
        self.iterations = iterations
        self.last_change = last_change
        where = f" {context}" if context else ""
        plural = "" if iterations == 1 else "s"
        super().__init__(
            f"The Bradley-Terry fit{where} did not converge after {iterations} iteration{plural}. "
            f"The last iteration still changed a rating by {last_change:.6g} Elo points. "
            "Raise max_iterations or tolerance, or check the input for extreme counts."
        )
