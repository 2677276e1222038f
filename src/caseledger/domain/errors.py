"""Errors a service raises when a rule of the domain is broken. No Django import."""


class DomainError(Exception):
    """A rule was broken; the message is shown to the user as written (GOV.UK error wording).

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermittedError(DomainError):
    """The actor may not make this change.

    Views check access first and answer 404; services check again, so no other caller (a
    command, a background task, a future API) can skip the rule.
    """

    def __init__(self) -> None:
        super().__init__("You cannot make this change")
