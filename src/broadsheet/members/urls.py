from django.urls import path

from broadsheet.members import views

app_name = "members"

urlpatterns = [
    path("", views.start, name="start"),
    path("login/<str:token>/", views.login_link, name="login"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.delete_account, name="delete"),
    path("logout/", views.sign_out, name="logout"),
]
