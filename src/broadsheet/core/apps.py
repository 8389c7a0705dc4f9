from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "broadsheet_core"
    verbose_name = "Core"
