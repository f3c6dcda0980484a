"""Pages for experts who write prompts and for reviewers who review and audit them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from annotation.models import Prompt, PromptReview, PromptSet, ReviewDecision, ReviewTaskStatus
from annotation.rendering import render_untrusted_markdown
from annotation.services.assignment import WorkNotAllowed
from annotation.services.prompt_authoring import (
    PromptNotFound,
    prompt_draft_create,
    prompt_draft_update,
    prompt_get_for_author,
    prompt_review_decide,
    prompt_review_next,
    prompt_submit,
)
from experts.selectors.domain import DomainNotFound, domain_get_by_slug
from seal_platform.errors import SealError


class PromptForm(forms.Form):
    prompt_set = forms.ModelChoiceField(queryset=PromptSet.objects.none())
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown allowed.")


class PromptEditForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))


class PromptDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ReviewDecision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


@login_required
def my_prompts(request: HttpRequest) -> HttpResponse:
    form = PromptForm(request.POST or None)
    form.fields["prompt_set"].queryset = PromptSet.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
        domain__approvals__expert_id=request.user.pk
    ).select_related("domain")
    if request.method == "POST" and form.is_valid():
        try:
            prompt = prompt_draft_create(
                author=request.user,
                prompt_set=form.cleaned_data["prompt_set"],
                text=form.cleaned_data["text"],
            )
        except SealError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Draft saved. Submit it for review when it is ready.")
            return redirect("annotation:prompt", prompt_id=prompt.pk)
    prompts = Prompt.objects.filter(author_id=request.user.pk).order_by("-created_at")
    return render(request, "annotation/prompts/mine.html", {"form": form, "prompts": prompts})


@login_required
def prompt_detail(request: HttpRequest, prompt_id: int) -> HttpResponse:
    try:
        prompt = prompt_get_for_author(author=request.user, prompt_id=prompt_id)
    except PromptNotFound as error:
        raise Http404(error.message) from error
    form = PromptEditForm(request.POST or None, initial={"text": prompt.text})
    if request.method == "POST":
        try:
            if "submit" in request.POST:
                prompt_submit(author=request.user, prompt_id=prompt.pk)
                messages.success(request, "Submitted for review.")
            elif form.is_valid():
                prompt_draft_update(
                    author=request.user, prompt_id=prompt.pk, text=form.cleaned_data["text"]
                )
                messages.success(request, "Draft saved.")
        except SealError as error:
            messages.error(request, error.message)
        return redirect("annotation:prompt", prompt_id=prompt.pk)
    reviews = PromptReview.objects.filter(prompt=prompt, decided_at__isnull=False).order_by(
        "decided_at"
    )
    context = {
        "prompt": prompt,
        "form": form,
        "reviews": reviews,
        "prompt_html": render_untrusted_markdown(prompt.text),
    }
    return render(request, "annotation/prompts/detail.html", context)


@login_required
def prompt_review_take(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        domain = domain_get_by_slug(slug=slug)
        review = prompt_review_next(reviewer=request.user, domain=domain)
    except DomainNotFound as error:
        raise Http404(error.message) from error
    except WorkNotAllowed as error:
        return render(request, "annotation/not_allowed.html", {"reason": error.message}, status=403)
    if review is None:
        return render(request, "annotation/review/empty.html", {"domain": domain})
    return redirect("annotation:prompt-review", review_id=review.pk)


@login_required
def prompt_review(request: HttpRequest, review_id: int) -> HttpResponse:
    review = (
        PromptReview.objects.select_related("prompt__domain")
        .filter(pk=review_id, reviewer_id=request.user.pk, status=ReviewTaskStatus.LEASED)
        .first()
    )
    if review is None:
        raise Http404(f"Prompt review {review_id} is not leased to you.")
    form = PromptDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prompt_review_decide(
                reviewer=request.user,
                review_id=review.pk,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except SealError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Decision saved.")
            return redirect("annotation:prompt-review-take", slug=review.prompt.domain.slug)
    context = {
        "review": review,
        "form": form,
        "prompt_html": render_untrusted_markdown(review.prompt.text),
    }
    return render(request, "annotation/prompts/review.html", context)
