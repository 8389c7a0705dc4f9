"""The studio's staff pages: who is on the staff, invitations, roles, suspension, ownership.

Every change is a POST that the services check again with `accounts.permissions`; the page
only offers what those checks would allow.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from broadsheet.accounts import invitations, permissions, services
from broadsheet.accounts.forms import InviteForm, RoleForm, TransferOwnershipForm, role_choices
from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.models import Invitation, Role, User, staff_people
from broadsheet.accounts.permissions import Action
from broadsheet.core.staff import staff_view


def _members() -> list[User]:
    """Staff, most trusted first, then by name."""
    staff = staff_people()
    return sorted(staff, key=lambda u: (-Role.rank(u.role), u.public_name.lower()))


def _staff_page(
    request: AuthenticatedHttpRequest,
    *,
    invite_form: InviteForm | None = None,
    transfer_form: TransferOwnershipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.user
    rows = [
        {"member": member, "manageable": permissions.can_manage_staff_member(actor, member)}
        for member in _members()
    ]
    pending = [
        {"invitation": invitation, "revocable": permissions.can_invite(actor, invitation.role)}
        for invitation in invitations.pending_invitations()
    ]
    is_owner = permissions.can(actor, Action.TRANSFER_OWNERSHIP)
    context = {
        "section": "staff",
        "rows": rows,
        "pending": pending,
        "role_choices": role_choices(actor),
        "invite_form": invite_form or InviteForm(actor),
        "transfer_form": (transfer_form or TransferOwnershipForm(actor)) if is_owner else None,
        "invitation_days": settings.INVITATION_DAYS,
    }
    return render(request, "staff/list.html", context, status=status)


@staff_view(Action.LIST_STAFF)
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _staff_page(request)


@staff_view(Action.LIST_STAFF)
@require_POST
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InviteForm(request.user, request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            invitations.create_invitation(
                actor=request.user, email=email, role=form.cleaned_data["role"], request=request
            )
        except ValidationError as error:
            form.add_error("email" if error.code != "not_sent" else None, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {email}. The link works for {settings.INVITATION_DAYS} days.",
            )
            return redirect("staff:list")
    return _staff_page(request, invite_form=form, status=400)


@staff_view(Action.LIST_STAFF)
@require_POST
def revoke_invitation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        invitations.revoke_invitation(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("staff:list")


def _member(request: AuthenticatedHttpRequest, pk: int) -> User:
    """A staff member the actor may manage; anyone else is refused with 403."""
    target = get_object_or_404(staff_people(), pk=pk)
    if not permissions.can_manage_staff_member(request.user, target):
        raise PermissionDenied("You may not manage that person.")
    return target


@staff_view(Action.LIST_STAFF)
@require_POST
def change_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = _member(request, pk)
    form = RoleForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles offered.")
        return redirect("staff:list")
    services.change_role(actor=request.user, target=target, role=form.cleaned_data["role"])
    messages.success(request, f"{target.public_name} is now {target.get_role_display().lower()}.")
    return redirect("staff:list")


@staff_view(Action.LIST_STAFF)
@require_POST
def suspend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = services.suspend_user(actor=request.user, target=_member(request, pk))
    messages.success(
        request, f"{target.public_name} is suspended and signed out; they cannot sign in."
    )
    return redirect("staff:list")


@staff_view(Action.LIST_STAFF)
@require_POST
def reactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = services.reactivate_user(actor=request.user, target=_member(request, pk))
    messages.success(request, f"{target.public_name} can sign in again.")
    return redirect("staff:list")


@staff_view(Action.TRANSFER_OWNERSHIP)
@require_POST
@sensitive_post_parameters("password")
def transfer_ownership(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TransferOwnershipForm(request.user, request.POST)
    if form.is_valid():
        new_owner = form.cleaned_data["to"]
        try:
            services.transfer_ownership(actor=request.user, to=new_owner)
        except ValidationError as error:
            form.add_error("to", error)
        else:
            messages.success(
                request, f"{new_owner.public_name} is now the owner; you are an administrator."
            )
            return redirect("staff:list")
    return _staff_page(request, transfer_form=form, status=400)
