"""The studio's staff pages (under /studio/staff/). Everything but the list is a POST."""

from django.urls import path

from broadsheet.accounts import staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("invite/", staff_views.invite, name="invite"),
    path(
        "invitations/<int:pk>/revoke/",
        staff_views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<int:pk>/role/", staff_views.change_role, name="change_role"),
    path("<int:pk>/suspend/", staff_views.suspend, name="suspend"),
    path("<int:pk>/reactivate/", staff_views.reactivate, name="reactivate"),
    path("transfer-ownership/", staff_views.transfer_ownership, name="transfer_ownership"),
]
