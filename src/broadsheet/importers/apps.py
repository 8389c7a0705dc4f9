from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "broadsheet.importers"
    label = "broadsheet_importers"
    verbose_name = "Imports"
