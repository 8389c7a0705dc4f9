from django.urls import path

from broadsheet.predictions import studio_views

app_name = "predictions_studio"

urlpatterns = [
    path("", studio_views.prediction_list, name="list"),
    path("<int:pk>/", studio_views.resolve, name="resolve"),
]
