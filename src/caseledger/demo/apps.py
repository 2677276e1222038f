from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "caseledger.demo"
    label = "demo"
    verbose_name = "Demo data and benchmarks"
