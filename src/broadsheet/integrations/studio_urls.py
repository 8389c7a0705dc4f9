from django.urls import path

from broadsheet.integrations import studio_views

app_name = "integrations"

urlpatterns = [
    path("", studio_views.integration_list, name="list"),
    path("<int:pk>/", studio_views.detail, name="detail"),
    path("<int:pk>/keys/", studio_views.keys, name="keys"),
    path("<int:pk>/revoke/", studio_views.revoke, name="revoke"),
    path("<int:pk>/webhooks/", studio_views.add_webhook, name="add_webhook"),
    path(
        "<int:pk>/webhooks/<int:webhook_pk>/delete/",
        studio_views.delete_webhook,
        name="delete_webhook",
    ),
]
