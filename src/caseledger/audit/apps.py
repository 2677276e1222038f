from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "caseledger.audit"
    label = "audit"
    verbose_name = "Audit trail"
