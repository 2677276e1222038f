from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "caseledger.provision"
    label = "provision"
    verbose_name = "Provision map"
