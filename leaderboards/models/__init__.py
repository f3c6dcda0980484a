from leaderboards.models.fit import Fit, FitRating, FitStage, FitStatus
from leaderboards.models.refit import BatchRefit, BatchRefitStatus
from leaderboards.models.snapshot import SNAPSHOT_NOTE_MAX_LENGTH, Snapshot, SnapshotRating

__all__ = [
    "SNAPSHOT_NOTE_MAX_LENGTH",
    "BatchRefit",
    "BatchRefitStatus",
    "Fit",
    "FitRating",
    "FitStage",
    "FitStatus",
    "Snapshot",
    "SnapshotRating",
]
