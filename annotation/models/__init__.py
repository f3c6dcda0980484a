from annotation.models.evaluated_model import EvaluatedModel
from annotation.models.judgment import Judgment, JudgmentImport, Verdict
from annotation.models.prompt import Comparison, Prompt, Response

__all__ = [
    "Comparison",
    "EvaluatedModel",
    "Judgment",
    "JudgmentImport",
    "Prompt",
    "Response",
    "Verdict",
]
