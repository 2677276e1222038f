from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "caseledger.cases"
    label = "cases"
    verbose_name = "Cases, allocation and access grants"
