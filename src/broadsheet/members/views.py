"""Members' pages: ask for a link, follow it, and one's own account. Rules are in `services`."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.accounts import permissions
from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.core.addresses import client_address, site_origin
from broadsheet.core.csrf import same_origin_required
from broadsheet.core.mailforms import send_from_form
from broadsheet.members import services
from broadsheet.members.forms import LinkForm, NameForm

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SENT = (
    "Check your email: if the address can sign in or sign up, a link is on its way. "
    "It works for 30 minutes."
)


@never_cache
@same_origin_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in or sign-up link; the answer is the same whether an account exists."""
    if request.method != "POST":
        return render(request, "members/start.html", {"form": LinkForm()})
    form = LinkForm(request.POST)
    if not form.is_valid():
        return render(request, "members/start.html", {"form": form}, status=400)
    status = send_from_form(
        form,
        lambda: services.request_login_link(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            ip=client_address(request.META),
            origin=site_origin(request),
        ),
    )
    if status:
        return render(request, "members/start.html", {"form": form}, status=status)
    return render(request, "members/sent.html", {"message": SENT})


@never_cache
@same_origin_required
@require_http_methods(["GET", "POST"])
def login_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET checks the link and shows a button; POST signs in (mail scanners only GET)."""
    try:
        if request.method != "POST":
            email, _name, user = services.check_login_token(token)
            return render(request, "members/login_link.html", {"email": email, "new": user is None})
        user = services.complete_login(token=token)
    except services.InvalidLink as error:
        context = {"reason": str(error), "next_url": reverse("members:start")}
        context["next_label"] = "Ask for a new link"
        return render(request, "invalid_link.html", context, status=400)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, "You are signed in.")
    return redirect("members:account")


@never_cache
@login_required(login_url="members:start")
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One's name, newsletter subscription, and the way to delete the account."""
    from broadsheet.newsletter.selectors import subscription_for

    form = NameForm(initial={"display_name": request.user.display_name})
    status = 200
    if request.method == "POST":
        form = NameForm(request.POST)
        if form.is_valid():
            try:
                services.update_member_name(
                    user=request.user, display_name=form.cleaned_data["display_name"]
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, "Your name was saved.")
                return redirect("members:account")
        status = 400
    context = {"form": form, "subscriber": subscription_for(request.user)}
    return render(request, "members/account.html", context, status=status)


@never_cache
@login_required(login_url="members:start")
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET warns what goes; POST deletes the account, its comments and its subscription."""
    user = request.user
    refused = not permissions.can_delete_member(user, user)
    if request.method != "POST":
        return render(request, "members/delete.html", {"refused": refused})
    try:
        services.delete_member(actor=user, user=user)
    except PermissionDenied as error:
        return render(
            request, "members/delete.html", {"refused": True, "error": str(error)}, status=403
        )
    logout(request)
    return render(request, "members/deleted.html")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out from the account page."""
    logout(request)
    return redirect("content:home")
