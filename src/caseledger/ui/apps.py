from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "caseledger.ui"
    label = "ui"
    verbose_name = "GOV.UK service shell"
