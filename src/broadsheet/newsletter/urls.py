from django.urls import path

from broadsheet.newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("", views.home, name="home"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/subscribe/", views.member_subscribe, name="member_subscribe"),
    path("account/unsubscribe/", views.member_unsubscribe, name="member_unsubscribe"),
]
