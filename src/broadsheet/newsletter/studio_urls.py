from django.urls import path

from broadsheet.newsletter import studio_views

app_name = "newsletter_studio"

urlpatterns = [
    path("", studio_views.overview, name="overview"),
    path("send/<int:pk>/", studio_views.send_post, name="send"),
    path("resume/<int:pk>/", studio_views.resume, name="resume"),
]
