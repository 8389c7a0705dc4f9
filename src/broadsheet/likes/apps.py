from django.apps import AppConfig


class LikesConfig(AppConfig):
    name = "broadsheet.likes"
    label = "broadsheet_likes"
    verbose_name = "Likes"
