from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "broadsheet.media"
    label = "broadsheet_media"
    verbose_name = "Media"
