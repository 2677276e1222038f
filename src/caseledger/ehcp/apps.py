from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "caseledger.ehcp"
    label = "ehcp"
    verbose_name = "EHCP tracking"
