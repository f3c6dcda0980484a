"""The overall verdict of a side-by-side comparison, shared by judgments and gold items."""

from django.db import models


class Verdict(models.TextChoices):
    A_BETTER = "a", "A better"
    B_BETTER = "b", "B better"
    TIE = "tie", "Tie"
    BOTH_BAD = "both_bad", "Both bad"


# The plain values, as API fields list them; the OpenAPI schema names this set "Verdict".
VERDICT_VALUES = list(Verdict.values)
