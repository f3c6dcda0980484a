"""Page forms of the annotation app. They only parse input; services decide."""

from typing import Any

from django import forms

from annotation.models import DIMENSION_SCALE, Verdict

VERDICT_CHOICES = [
    (Verdict.A_BETTER, "A is better"),
    (Verdict.B_BETTER, "B is better"),
    (Verdict.TIE, "Tie"),
    (Verdict.BOTH_BAD, "Both bad"),
]


class JudgmentForm(forms.Form):
    verdict = forms.ChoiceField(choices=VERDICT_CHOICES, widget=forms.RadioSelect)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    active_seconds = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, dimensions: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimension_keys = [dimension["key"] for dimension in dimensions]
        for dimension in dimensions:
            self.fields[f"dimension_{dimension['key']}"] = forms.TypedChoiceField(
                label=dimension["label"],
                choices=[(value, label) for value, label in DIMENSION_SCALE.items()],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
            )

    def dimension_scores(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[f"dimension_{key}"]) for key in self.dimension_keys}


SKIP_REASON_MAX_LENGTH = 500


class SkipForm(forms.Form):
    reason = forms.CharField(max_length=SKIP_REASON_MAX_LENGTH)
