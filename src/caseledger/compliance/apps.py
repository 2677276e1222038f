from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "caseledger.compliance"
    label = "compliance"
    verbose_name = "Compliance monitoring"
