"""The settings a deployment depends on: durable SQLite, production hardening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.conf import settings

from caseledger import settings as project_settings
from caseledger.config import CaseledgerSettings


def test_sqlite_is_durable_and_waits_for_the_write_lock(tmp_path: Path):
    # The pragmas every SQLite connection starts with, applied to a real file.
    connection = sqlite3.connect(tmp_path / "caseledger.sqlite3")
    connection.executescript(project_settings.SQLITE_INIT_COMMAND)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    connection.close()


def test_comma_separated_hosts_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "caseledger.example, www.caseledger.example")
    assert CaseledgerSettings().allowed_hosts == ["caseledger.example", "www.caseledger.example"]


def test_secret_key_can_come_from_a_file(monkeypatch, tmp_path: Path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert CaseledgerSettings().resolved_secret_key() == "from-a-file"


def test_sessions_end_after_half_an_hour_idle():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
