"""Fixtures for browser journeys: a real Caseledger server and Debian's Chromium.

The server runs as a subprocess against its own throwaway SQLite database with the demo
data loaded, so these tests never touch pytest-django's test database (and never ask for
the `db` fixture). Each test gets a fresh browser context: its own cookies, so its own
session.

While the browser is up, Playwright's sync API keeps an asyncio loop running in this thread,
so Django would refuse database queries here (SynchronousOnlyOperation). pytest-django runs
tests that use the database before those that do not, so these journeys run last.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
CASELEDGER = Path(sys.executable).parent / "caseledger"
SERVER_START_TIMEOUT = 30.0
# Playwright's default is 30 s; a local server answers in well under a second, so a stuck
# page should fail fast rather than eat the time budget.
ACTION_TIMEOUT_MS = 10_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], env: dict[str, str], cwd: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(CASELEDGER), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        pytest.fail(
            f"`caseledger {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"The Caseledger server exited ({server.returncode}):\n{log.read_text()[-3000:]}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - http://127.0.0.1 only
                return
        except urllib.error.HTTPError:
            return  # It answered; any status means it is serving.
        except OSError:
            time.sleep(0.2)
    pytest.fail(
        f"The Caseledger server did not answer {url} within {SERVER_START_TIMEOUT:.0f} s:\n"
        f"{log.read_text()[-3000:]}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def live_server_url() -> Iterator[str]:
    """Base URL of a real `caseledger runserver` with the demo data, on a free port."""
    if not CASELEDGER.exists():
        pytest.fail(f"The caseledger command is not installed at {CASELEDGER}", pytrace=False)
    workdir = Path(tempfile.mkdtemp(prefix="caseledger-browser-"))
    env = {
        **os.environ,
        # `test`, not `development`: with DEBUG on, Django would answer 404s with its technical
        # page instead of Caseledger's own, and these journeys check the page people see. It
        # also hashes the demo passwords quickly, so each sign-in costs milliseconds.
        "CASELEDGER_ENV": "test",
        "VAR_DIR": str(workdir),
        # Empty, so the server uses SQLite in VAR_DIR even when the suite runs on PostgreSQL.
        "DATABASE_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cwd = workdir
    _run(["migrate", "--no-input", "-v0"], env, cwd)
    _run(["demo"], env, cwd)
    port = _free_port()
    log = workdir / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
            [str(CASELEDGER), "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            env=env,
            cwd=cwd,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(f"{base_url}/accounts/sign-in/", server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
            "`chromium` package (`apt-get install chromium`). They do not use "
            "`playwright install`.",
            pytrace=False,
        )
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser: Browser, live_server_url: str) -> Iterator[Callable[[], Page]]:
    """Make pages in fresh browser contexts (separate sessions); all are closed afterwards."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server_url)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    """A page in a fresh browser context, so each test starts signed out."""
    return new_page()
