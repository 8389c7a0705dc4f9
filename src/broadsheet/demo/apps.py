from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "broadsheet.demo"
    label = "broadsheet_demo"
    verbose_name = "Demo"
