from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "broadsheet.api"
    label = "broadsheet_api"
    verbose_name = "Ghost-compatible API"

    def ready(self) -> None:
        from broadsheet.api import events

        events.connect()
