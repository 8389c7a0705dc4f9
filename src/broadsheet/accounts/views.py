"""Signing in and out, two-factor login, one's own account, passwords, accepting an invitation.

Thin views: the rules are in `services`, `two_factor` and `invitations`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from broadsheet.accounts import invitations, permissions, services, two_factor
from broadsheet.accounts.forms import (
    AcceptInvitationForm,
    CodeForm,
    DisableTwoFactorForm,
    LoginForm,
    ProfileForm,
)
from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.models import User
from broadsheet.core.addresses import absolute_url
from broadsheet.core.selectors import get_site_settings
from broadsheet.core.staff import staff_view

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`next` only when it is a path on this site (no open redirect); else "".

    Only a path: `redirect()` takes anything else for the name of a view to reverse."""
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return ""


def landing(user: User) -> str:
    """Staff go to the studio; anyone else back to the site."""
    if permissions.can(user, permissions.Action.USE_STUDIO):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return reverse("content:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method != "POST":
        if request.user.is_authenticated:
            return redirect(next_url or landing(request.user))
        two_factor.cancel_login(request)
        form = LoginForm(request)
        return render(request, "accounts/login.html", {"form": form, "next": next_url})
    form = LoginForm(request, data=request.POST)
    if not form.is_valid():
        return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=400)
    user = form.user
    assert user is not None  # a valid LoginForm has authenticated its user
    if user.has_two_factor:
        two_factor.begin_login(request, user, next_url=next_url)
        return redirect("accounts:login_code")
    login(request, user)
    return redirect(next_url or landing(user))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    state = two_factor.pending(request)
    if state is None:
        messages.error(
            request, "Your sign-in timed out or was not started. Please enter your password again."
        )
        return redirect("accounts:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return render(request, "accounts/login_code.html", {"form": form})
    if form.is_valid():
        try:
            if two_factor.finish_login(request, state, form.cleaned_data["code"]):
                return redirect(state["next"] or landing(state["user"]))
        except two_factor.LockedOut:
            # django-axes' middleware answers this request with the lockout page.
            return render(request, "accounts/login_code.html", {"form": form}, status=429)
        form.add_error(
            "code", "That code is not right, or it was already used. Try the newest one."
        )
    return render(request, "accounts/login_code.html", {"form": form}, status=400)


logout_view = auth_views.LogoutView.as_view()


def _account_page(
    request: AuthenticatedHttpRequest,
    *,
    profile_form: ProfileForm | None = None,
    disable_form: DisableTwoFactorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    if profile_form is None:
        profile_form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "email": user.email,
                "bio": user.bio,
                "notify_comments": user.notify_comments,
            }
        )
    context = {
        "section": "account",
        "profile_form": profile_form,
        "disable_form": disable_form or DisableTwoFactorForm(),
    }
    return render(request, "accounts/security.html", context, status=status)


@staff_view()
@never_cache
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Your account": profile, two-factor login, and the way to the password change."""
    if request.method != "POST":
        return _account_page(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.update_profile(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:security")
    request.user.refresh_from_db()
    return _account_page(request, profile_form=form, status=400)


@staff_view()
@sensitive_post_parameters("code")
@never_cache
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.has_two_factor:
        messages.info(request, "Two-factor login is already on.")
        return redirect("accounts:security")
    secret = two_factor.setup_secret(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            two_factor.enable(request, user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Two-factor login is on. From now on you will be asked for a code."
            )
            return redirect("accounts:security")
    context = {
        "section": "account",
        "form": form,
        # segno's own SVG (no user input but the site title, escaped in the URI).
        "qr": mark_safe(two_factor.qr_svg(two_factor.provisioning_uri(user, secret))),  # noqa: S308
        "secret": two_factor.grouped(secret),
    }
    return render(
        request, "accounts/two_factor_setup.html", context, status=400 if form.is_bound else 200
    )


@staff_view()
@require_POST
@sensitive_post_parameters("password", "code")
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_two_factor:
        messages.info(request, "Two-factor login is already off.")
        return redirect("accounts:security")
    form = DisableTwoFactorForm(request.POST)
    if form.is_valid():
        try:
            two_factor.disable(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Two-factor login is off.")
            return redirect("accounts:security")
    return _account_page(request, disable_form=form, status=400)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, which keeps this session and ends the others (the session auth hash)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")
    extra_context = {"section": "account"}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request, "Your password is changed. Other devices signed in as you are signed out."
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's (same answer for a known and an unknown address), with a plain-text email."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.html"
    subject_template_name = "accounts/password_reset_subject.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {
            "site_title": get_site_settings().title,
            "base_url": absolute_url("/", self.request).rstrip("/"),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(sensitive_post_parameters("new_password1", "new_password2"), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@sensitive_post_parameters("password", "password_again")
@csrf_protect
@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitations.find_invitation(token)
    if problem := invitations.problem(invitation):
        status = 404 if invitation is None else 410
        context = {"problem": problem}
        return render(request, "accounts/invitation_invalid.html", context, status=status)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = invitations.accept_invitation(
                token=token,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, f"Welcome, {user.public_name}. Your account is ready.")
            return redirect("studio:home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.is_bound else 200,
    )
