from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "broadsheet.feeds"
    label = "broadsheet_feeds"
    verbose_name = "Feeds"
