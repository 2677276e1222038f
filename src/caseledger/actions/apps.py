from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "caseledger.actions"
    label = "actions"
    verbose_name = "Next actions, reminders and the statutory clock"
