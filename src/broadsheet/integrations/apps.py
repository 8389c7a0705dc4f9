from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "broadsheet.integrations"
    label = "broadsheet_integrations"
    verbose_name = "Integrations"
