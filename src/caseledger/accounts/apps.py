from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseledger.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from caseledger.accounts import signals  # noqa: F401  (connects sign-in auditing)
