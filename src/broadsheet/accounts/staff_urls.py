"""The studio's staff pages. (Stub: being built.)"""

from django.urls import path
from django.views.generic import TemplateView

app_name = "staff"

urlpatterns = [path("", TemplateView.as_view(template_name="studio/base.html"), name="list")]
