from annotation.models.batch import (
    DIMENSION_SCALE,
    Assignment,
    AssignmentStatus,
    BatchStatus,
    ComparisonBatch,
    Rubric,
)
from annotation.models.evaluated_model import EvaluatedModel
from annotation.models.judgment import Judgment, JudgmentImport, JudgmentRevision, ReviewStatus
from annotation.models.prompt import Comparison, Prompt, PromptStatus, Response
from annotation.models.prompt_set import PromptExposure, PromptSet
from annotation.models.review import (
    PromptReview,
    PromptReviewStage,
    QualityThresholds,
    ReviewDecision,
    ReviewRound,
    ReviewTask,
    ReviewTaskStatus,
)
from seal_platform.verdict import Verdict

__all__ = [
    "DIMENSION_SCALE",
    "Assignment",
    "AssignmentStatus",
    "BatchStatus",
    "Comparison",
    "ComparisonBatch",
    "EvaluatedModel",
    "Judgment",
    "JudgmentImport",
    "JudgmentRevision",
    "Prompt",
    "PromptExposure",
    "PromptReview",
    "PromptReviewStage",
    "QualityThresholds",
    "ReviewDecision",
    "ReviewRound",
    "ReviewTask",
    "ReviewTaskStatus",
    "PromptSet",
    "PromptStatus",
    "Response",
    "ReviewStatus",
    "Rubric",
    "Verdict",
]
