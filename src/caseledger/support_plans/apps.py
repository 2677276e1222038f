from django.apps import AppConfig


class SupportPlansConfig(AppConfig):
    name = "caseledger.support_plans"
    label = "support_plans"
    verbose_name = "SEN support plans"
