from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "caseledger.passports"
    label = "passports"
    verbose_name = "Pupil passports"
