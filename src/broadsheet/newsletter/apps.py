from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "broadsheet.newsletter"
    label = "broadsheet_newsletter"
    verbose_name = "Newsletter"
