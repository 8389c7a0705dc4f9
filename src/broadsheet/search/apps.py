from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "broadsheet.search"
    label = "broadsheet_search"
    verbose_name = "Search"

    def ready(self) -> None:
        from broadsheet.search import receivers

        receivers.connect()
