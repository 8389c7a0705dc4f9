from django.apps import AppConfig


class PredictionsConfig(AppConfig):
    name = "broadsheet.predictions"
    label = "broadsheet_predictions"
    verbose_name = "Predictions"

    def ready(self) -> None:
        from broadsheet.predictions import receivers

        receivers.connect()
