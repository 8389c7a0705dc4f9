"""The door of every staff page (studio, staff, media, newsletter, stats): a signed-in
staff member with the right, or a clear refusal."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from broadsheet.accounts import permissions
from broadsheet.accounts.permissions import Action


def staff_view(action: Action = Action.USE_STUDIO) -> Callable:
    """Send anonymous visitors to the login page; refuse (403) those without `action`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permissions.can(request.user, action):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
