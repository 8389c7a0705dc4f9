from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "broadsheet.content"
    label = "broadsheet_content"
    verbose_name = "Content"
