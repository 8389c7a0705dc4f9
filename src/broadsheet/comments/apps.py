from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "broadsheet.comments"
    label = "broadsheet_comments"
    verbose_name = "Comments"
