"""Request types for the type checker."""

from django.http import HttpRequest

from broadsheet.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that has passed a sign-in check (`login_required`, `staff_view`), so
    `request.user` is a `User`, never `AnonymousUser`. Only annotations use it: at run time
    the view still receives Django's plain `HttpRequest`."""

    user: User
