"""Page forms of the experts app. They only parse input; services decide."""

from django import forms

from experts.models import Domain


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    display_name = forms.CharField(max_length=200, label="Name shown to staff")
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        widget=forms.PasswordInput, strip=False, label="Password again"
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", "The two passwords differ. Type the same one twice.")
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=200)
    degrees = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    employment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    languages = forms.CharField(max_length=300, required=False, help_text="Comma-separated.")
    years_of_practice = forms.IntegerField(min_value=0, max_value=80)


class DomainChoiceField(forms.ModelMultipleChoiceField[Domain]):
    """Domain checkboxes labelled with the domain's name, which applicants know, not its slug.

    The label of a domain without a qualification test notes the missing test, because its
    applicants cannot take the test until staff create one.
    """

    def label_from_instance(self, obj: Domain) -> str:
        if hasattr(obj, "qualification_test"):
            return obj.name
        return f"{obj.name} (no qualification test yet)"


class ApplyForm(forms.Form):
    domains = DomainChoiceField(
        queryset=Domain.objects.select_related("qualification_test").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each domain has its own qualification test and its own approval.",
    )
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Your experience in these domains (at least 20 characters).",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ApproveForm(forms.Form):
    # A datetime-local input sends "YYYY-MM-DDTHH:MM" with no offset, which Django reads in the
    # current time zone (settings.TIME_ZONE, UTC).
    expires_at = forms.DateTimeField(
        required=False,
        label="Approval expires at (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to use the domain's default validity.",
    )
