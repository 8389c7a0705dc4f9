from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "broadsheet.studio"
    label = "broadsheet_studio"
    verbose_name = "Studio"
