from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "caseledger.people"
    label = "people"
    verbose_name = "Children, households and the people around them"
