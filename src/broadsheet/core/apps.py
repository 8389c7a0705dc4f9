from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "broadsheet_core"
    verbose_name = "Core"

    def ready(self) -> None:
        from broadsheet.core.db import refresh_after_migrate

        # After `migrate` (and so every `serve` start-up): statistics for new indexes.
        post_migrate.connect(refresh_after_migrate, sender=self)
