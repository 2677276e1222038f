"""Typed configuration read from the environment (and `.env`), validated at start-up.

Every setting a deployment may change is here, with its default; README's configuration
table lists the same names. Secrets may also be given as files: `SECRET_KEY_FILE=/run/secrets/x`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class CaseledgerSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="", env_file=BASE_DIR / ".env", extra="ignore", case_sensitive=False
    )

    caseledger_env: Environment = Environment.DEVELOPMENT
    secret_key: str = ""
    secret_key_file: Path | None = None
    database_url: str = ""
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost"]
    )
    csrf_trusted_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # SQLite waits this long for the write lock before "database is locked".
    sqlite_busy_timeout_ms: int = 5000
    session_idle_minutes: int = 30
    # Empty means SMTP in production and the console (printed mail) elsewhere.
    email_backend: str = ""
    default_from_email: str = "Caseledger <no-reply@caseledger.invalid>"
    log_level: str = "INFO"
    # Where GOV.UK Frontend and MOJ Frontend were installed by npm.
    node_modules_dir: Path = BASE_DIR / "node_modules"
    var_dir: Path = BASE_DIR / "var"
    # Signs the chain checkpoints `caseledger checkpoint` writes (HMAC-SHA256). Never put it in
    # the database: a checkpoint can show that a chain was cut short or rebuilt only while
    # whoever can write to the database cannot also read this key
    # (research/security-reliability.md §1.5, §2.16). The commands need it; the web server not.
    # The evidence vault: where stored files live (outside the web root; never served by the
    # web server directly), and the largest upload accepted.
    vault_dir: Path | None = None
    vault_max_upload_mb: int = Field(default=25, ge=1, le=500)
    caseledger_checkpoint_key: SecretStr | None = None
    caseledger_checkpoint_key_file: Path | None = None

    @field_validator("allowed_hosts", "csrf_trusted_origins", mode="before")
    @classmethod
    def split_comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    def resolved_secret_key(self) -> str:
        if self.secret_key_file is not None:
            return self.secret_key_file.read_text().strip()
        return self.secret_key

    def resolved_checkpoint_key(self) -> bytes | None:
        """The checkpoint key as bytes, from the file if one is named; None when not set."""
        if self.caseledger_checkpoint_key_file is not None:
            text = self.caseledger_checkpoint_key_file.read_text().strip()
        elif self.caseledger_checkpoint_key is not None:
            text = self.caseledger_checkpoint_key.get_secret_value().strip()
        else:
            return None
        return text.encode() or None


def load_settings() -> CaseledgerSettings:
    return CaseledgerSettings()
