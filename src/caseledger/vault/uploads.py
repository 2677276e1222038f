"""An upload handler that stops a file upload past the vault's limit (plus room for the form),
so an oversized request is not spooled to disk in full first (ASVS 5.2.1). The form then
says the file is too large; the vault's services check the size again on every path."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Set on the request when an upload was stopped, for the view to say so.
TOO_LARGE = "caseledger.upload_too_large"
# Room for the form's other fields and the multipart framing.
MARGIN = 1024 * 1024


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        self.declared_too_large = False
        self.limit = int(settings.VAULT_MAX_UPLOAD_BYTES) + MARGIN

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 - Django's parameter name
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # Too large before a byte is read: the first chunk of a file stops it.
        self.declared_too_large = content_length > self.limit

    def _too_large(self) -> None:
        if self.request is not None:
            self.request.META[TOO_LARGE] = True  # the view reports it on the form
        # Read and discard the rest of the request, so the browser gets the page.
        raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.declared_too_large or self.received > self.limit:
            self._too_large()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
