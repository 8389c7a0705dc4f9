from django.apps import AppConfig


class RedirectsConfig(AppConfig):
    name = "broadsheet.redirects"
    label = "broadsheet_redirects"
    verbose_name = "Old addresses"
