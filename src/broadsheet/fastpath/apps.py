from django.apps import AppConfig


class FastpathConfig(AppConfig):
    name = "broadsheet.fastpath"
    label = "broadsheet_fastpath"
    verbose_name = "Fast path"

    def ready(self) -> None:
        from broadsheet.fastpath import invalidation

        invalidation.connect()
