from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "caseledger.quality"
    label = "quality"
    verbose_name = "Recording quality"
