from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "broadsheet.accounts"
    label = "broadsheet_accounts"
    verbose_name = "Accounts"
