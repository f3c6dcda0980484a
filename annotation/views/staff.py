"""Staff pages for comparison batches."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from annotation.models import PromptSet
from annotation.selectors_staff import batch_list_with_progress
from annotation.services.batch import batch_create
from experts.permissions import staff_required
from seal_platform.errors import SealError


class BatchForm(forms.Form):
    prompt_set = forms.ModelChoiceField(
        queryset=PromptSet.objects.select_related("domain").order_by("domain__slug", "name")
    )
    name = forms.CharField(max_length=200, required=False)
    pairs = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One pair per line as 'model-x, model-y'. Leave empty for every pair.",
    )
    judgments_per_comparison = forms.IntegerField(min_value=1, max_value=20, initial=1)
    lease_minutes = forms.IntegerField(min_value=1, max_value=1440, initial=10)
    gold_share = forms.FloatField(min_value=0, max_value=0.99, initial=0.0)

    def chosen_pairs(self) -> list[tuple[str, str]] | None:
        lines = [line for line in self.cleaned_data["pairs"].splitlines() if line.strip()]
        if not lines:
            return None
        pairs = []
        for line in lines:
            names = [name.strip() for name in line.split(",")]
            if len(names) != 2 or not all(names):
                raise SealError(f"Write each pair as 'model-x, model-y'; {line!r} is not.")
            pairs.append((names[0], names[1]))
        return pairs


@staff_required
def batch_list(request: HttpRequest) -> HttpResponse:
    return render(request, "annotation/staff/batches.html", {"batches": batch_list_with_progress()})


@staff_required
def batch_new(request: HttpRequest) -> HttpResponse:
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        prompt_set = form.cleaned_data["prompt_set"]
        try:
            batch = batch_create(
                domain=prompt_set.domain,
                prompt_set=prompt_set,
                name=form.cleaned_data["name"],
                staff_user=request.user,
                pairs=form.chosen_pairs(),
                judgments_per_comparison=form.cleaned_data["judgments_per_comparison"],
                lease_minutes=form.cleaned_data["lease_minutes"],
                gold_share=form.cleaned_data["gold_share"],
            )
        except SealError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Batch {batch.pk} created.")
            return redirect("annotation:staff-batches")
    return render(request, "annotation/staff/batch_new.html", {"form": form})
