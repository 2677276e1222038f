from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "caseledger.ledger"
    label = "ledger"
    verbose_name = "Case-record ledger"

    def ready(self) -> None:
        from caseledger.ledger import signals  # noqa: F401  (connects the receivers)
