from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from experts.forms import SignupForm
from experts.services.account import account_signup
from seal_platform.errors import SealError

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_signup(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
            )
        except SealError as error:
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            form.add_error(None, error.message)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, "Welcome. Fill in your qualifications, then apply.")
            return redirect("experts:profile")
    return render(request, "experts/signup.html", {"form": form})
