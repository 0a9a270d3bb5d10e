"""Sign-up form: an e-mail address and a password that passes the site's validators."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text="You log in with it; we send alerts and password resets to it.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    hiring = forms.BooleanField(
        required=False,
        label="I'm hiring",
        help_text="Tick to post roles for your company after you confirm your address.",
    )

    def clean_email(self) -> str:
        # Whether the address already has an account is never said here: the answer goes to
        # the address itself (see accounts.services.user_signup).
        return self.cleaned_data["email"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            User = get_user_model()
            email = cleaned.get("email", "")
            probe = User(username=email, email=email)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form, in plain words, with the e-mail address matched in any case."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an account. "
        "Check both and try again.",
    }

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        # Accounts made by signing up are named by their lower-cased e-mail address.
        return username.lower() if "@" in username else username


class DeleteAccountForm(forms.Form):
    """The account's password, to be sure it is its owner who deletes it."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
