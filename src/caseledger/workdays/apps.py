from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "caseledger.workdays"
    label = "workdays"
    verbose_name = "Working days and one-off holidays"
