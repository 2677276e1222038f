from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "caseledger.vault"
    label = "vault"
    verbose_name = "Evidence vault"

    def ready(self) -> None:
        from caseledger.vault import signals  # noqa: F401 - connects the receivers
