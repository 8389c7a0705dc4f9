from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "broadsheet.members"
    label = "broadsheet_members"
    verbose_name = "Members"
