from django.apps import AppConfig


class SenConfig(AppConfig):
    name = "caseledger.sen"
    label = "sen"
    verbose_name = "School SEN support"
