from django.apps import AppConfig


class FastpathConfig(AppConfig):
    name = "broadsheet.fastpath"
    label = "broadsheet_fastpath"
    verbose_name = "Fast path"

    def ready(self) -> None:
        from broadsheet.analytics.recorder import recorder
        from broadsheet.fastpath import invalidation
        from broadsheet.fastpath.generation import generations

        invalidation.connect()
        recorder.on_flush(lambda: generations().bump("counts"))
