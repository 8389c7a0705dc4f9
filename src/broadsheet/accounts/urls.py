"""Signing in and out, two-factor login, one's own account, passwords, invitations."""

from django.urls import path

from broadsheet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security, name="security"),
    path("security/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
]
