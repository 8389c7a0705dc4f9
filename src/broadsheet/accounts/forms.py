"""The account and staff forms. They check input; the rules live in services and two_factor."""

from typing import cast

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from broadsheet.accounts import permissions, services
from broadsheet.accounts.models import Role, User, staff_people
from broadsheet.accounts.two_factor import normalize_code


def _text(autocomplete: str, **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})


def _password(autocomplete: str, **attrs) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete, **attrs})


def _code_field() -> forms.CharField:
    return forms.CharField(
        label="Six-digit code",
        max_length=16,
        help_text="The code your authenticator app shows now.",
        widget=_text(
            "one-time-code", inputmode="numeric", autocapitalize="off", spellcheck="false"
        ),
    )


def _clean_code(value: str) -> str:
    code = normalize_code(value)
    if len(code) != 6:
        raise ValidationError("Enter the six digits your authenticator app shows.")
    return code


def role_choices(actor: User) -> list[tuple[str, str]]:
    """Only the roles `actor` may give: the form offers nothing the server would refuse."""
    return [(value, label) for value, label in Role.choices if permissions.can_invite(actor, value)]


class LoginForm(forms.Form):
    username = forms.CharField(
        label="Username or email",
        max_length=254,
        widget=_text("username", autofocus=True, autocapitalize="none", spellcheck="false"),
    )
    password = forms.CharField(label="Password", strip=False, widget=_password("current-password"))

    error_message = "That username or email and password do not match. Check both and try again."

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        """Authenticate with the request, so django-axes counts and refuses as configured."""
        data = super().clean()
        assert data is not None  # Django's clean() returns cleaned_data
        username, password = data.get("username"), data.get("password")
        if username and password:
            self.user = authenticate(
                self.request, username=services.login_username(username), password=password
            )
            if self.user is None or self.user.is_integration:  # keys only, never a login
                self.user = None
                raise ValidationError(self.error_message, code="invalid_login")
        return data


class CodeForm(forms.Form):
    code = _code_field()

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])


class DisableTwoFactorForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=_password("current-password")
    )
    code = _code_field()

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="Shown on your posts and your author page.",
        widget=_text("name"),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Where password resets go. If you sign in with your email, this changes it too.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    bio = forms.CharField(
        label="Bio",
        max_length=2000,
        required=False,
        help_text="A few sentences for your author page.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notify_comments = forms.BooleanField(
        label="Email me about comments on my posts", required=False
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Role")

    def __init__(self, actor: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = role_choices(actor)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role")

    def __init__(self, actor: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = role_choices(actor)


class TransferOwnershipForm(forms.Form):
    to = forms.ModelChoiceField(
        label="New owner",
        queryset=User.objects.none(),
        empty_label="Choose a staff member",
        help_text="You will become an administrator.",
    )
    password = forms.CharField(
        label="Your password", strip=False, widget=_password("current-password")
    )

    def __init__(self, actor: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        to = cast(forms.ModelChoiceField, self.fields["to"])
        to.queryset = (
            staff_people()
            .filter(is_active=True)
            .exclude(pk=actor.pk)
            .order_by("display_name", "username")
        )
        # An instance attribute that shadows the method (the stubs only know the method).
        to.label_from_instance = lambda user: f"{user.public_name} ({user.email})"  # type: ignore[method-assign, assignment]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.actor.check_password(password):
            raise ValidationError("That is not your current password.")
        return password


class AcceptInvitationForm(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="As readers will see it on your posts.",
        widget=_text("name", autofocus=True),
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text=password_validators_help_text_html(),
        widget=_password("new-password"),
    )
    password_again = forms.CharField(
        label="The same password again", strip=False, widget=_password("new-password")
    )

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Django's clean() returns cleaned_data
        first, second = data.get("password"), data.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", "The two passwords are not the same.")
        return data
