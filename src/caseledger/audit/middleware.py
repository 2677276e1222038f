from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from caseledger.audit.context import RequestContext, reset_request_context, set_request_context

# A request id from an upstream proxy is kept only if it is short and plain, so nobody can
# inject text into the audit trail through a header.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _client_ip(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) and remember the client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_context(RequestContext(request_id, _client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response
