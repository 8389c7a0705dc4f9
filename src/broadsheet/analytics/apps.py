from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "broadsheet.analytics"
    label = "broadsheet_analytics"
    verbose_name = "Analytics"
