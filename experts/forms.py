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


class ApplyForm(forms.Form):
    domains = forms.ModelMultipleChoiceField(
        queryset=Domain.objects.order_by("name"), widget=forms.CheckboxSelectMultiple
    )
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Your experience in these domains (at least 20 characters).",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ApproveForm(forms.Form):
    expires_at = forms.DateTimeField(
        required=False, help_text="Leave empty for the domain's default validity."
    )
