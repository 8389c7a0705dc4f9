from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "broadsheet.content"
    label = "broadsheet_content"
    verbose_name = "Content"

    def ready(self) -> None:
        from broadsheet.core.signals import site_settings_saved

        site_settings_saved.connect(_refile_archive_months, dispatch_uid="content-archive-months")


def _refile_archive_months(sender, *, changed: frozenset[str], **kwargs) -> None:
    """Archive months are in the site's time zone: a new zone files posts again."""
    if "timezone" in changed:
        from broadsheet.content.services import refresh_archive_months

        refresh_archive_months()
