from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "caseledger.search"
    label = "search"
    verbose_name = "Search"
