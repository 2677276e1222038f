"""Content-addressed file storage for the vault, outside the web root.

A file is stored at `<VAULT_DIR>/<aa>/<bb>/<sha256>` (the first two pairs of hex digits as
folders), read-only. It is written to a temporary file in the same file system, flushed to
disk, then linked into place: `os.link` fails if the name exists, so a stored file is never
overwritten, and two people storing the same bytes at once end with one copy (the second
finds it there). Nothing is ever deleted here. Paths come from the hash alone, never from a
name anyone typed (ASVS 5.3.2).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

CHUNK = 1024 * 1024


def vault_dir() -> Path:
    return Path(settings.VAULT_DIR)


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(character not in "0123456789abcdef" for character in sha256):
        raise ValueError("not a SHA-256 in hex")
    return vault_dir() / sha256[:2] / sha256[2:4] / sha256


@dataclass(frozen=True)
class Spooled:
    """An upload copied to a private temporary file, with its hash and size."""

    path: Path
    sha256: str
    size: int


@contextmanager
def spooled(source: BinaryIO, *, limit: int) -> Iterator[Spooled]:
    """Copy `source` into a temporary file in the vault's file system, hashing as it goes;
    the file is removed on leaving unless `keep` moved it into place. Stops past `limit`
    bytes (the caller refuses the file)."""
    root = vault_dir()
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=root / "tmp", prefix="upload-")
    path = Path(name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(handle, "wb") as target:
            source.seek(0)
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FileTooLargeError
                digest.update(chunk)
                target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        yield Spooled(path=path, sha256=digest.hexdigest(), size=size)
    finally:
        path.unlink(missing_ok=True)


class FileTooLargeError(Exception):
    pass


def keep(spool: Spooled) -> Path:
    """Link the spooled file into its content address (if no copy is there yet)."""
    final = path_for(spool.sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(spool.path, final)
    except FileExistsError:
        return final  # the same bytes, already kept: never overwritten
    os.chmod(final, 0o440)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return final


def store_bytes(data: bytes, *, limit: int) -> Spooled:
    """Store bytes and return what was kept."""
    with spooled(io.BytesIO(data), limit=limit) as spool:
        keep(spool)
        return spool


def open_stored(sha256: str) -> BinaryIO:
    return path_for(sha256).open("rb")


def sha256_of_stored(sha256: str) -> str:
    """The hash of the bytes on disk now (for checking a stored file was not altered)."""
    digest = hashlib.sha256()
    with open_stored(sha256) as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
