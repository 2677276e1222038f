"""Who is asking, from where: the request id and client address an audit event records.

Set once per request by `RequestContextMiddleware`; commands and background tasks run with
an empty context, which the audit event records as such.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


_EMPTY = RequestContext()  # frozen, so sharing one instance as the default is safe
_current: ContextVar[RequestContext] = ContextVar("caseledger_request", default=_EMPTY)


def current_request_context() -> RequestContext:
    return _current.get()


def set_request_context(context: RequestContext) -> Token[RequestContext]:
    return _current.set(context)


def reset_request_context(token: Token[RequestContext]) -> None:
    _current.reset(token)
