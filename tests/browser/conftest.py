"""The portal served as production serves it, and Debian's Chromium to drive it.

The server fixture builds a fresh SQLite portal in a temporary directory
(migrate, collectstatic, setup_demo) and runs it under gunicorn with DEBUG off,
so the browser sees exactly what a visitor would: whitenoise's hashed static
files, the real 404 page, the demo content in both languages.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DEMO_PASSWORD = "Demo-browser-test-7f3k"
STARTUP_SECONDS = 30
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Portal:
    base_url: str
    demo_password: str


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *arguments):
    """Start manage.py in the background; _finish() waits for it."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(command):
    output, _ = command.communicate()
    if command.returncode:
        pytest.fail(
            f"{' '.join(command.args[1:])} failed (exit {command.returncode}):\n"
            f"{output}",
            pytrace=False,
        )
    return output


def _healthy(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def serve_portal(*shell_scripts):
    """The demo portal under gunicorn in a scratch directory; yields a Portal.

    Each script is run with `manage.py shell -c` after the demo is built, for a
    test module that needs data of its own in the served database.
    """
    scratch = Path(tempfile.mkdtemp(prefix="portal-browser-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{scratch / 'portal.sqlite3'}",
        "STATIC_ROOT": str(scratch / "static"),
        "MEDIA_ROOT": str(scratch / "media"),
        "CATALOGUE_FILES_ROOT": str(scratch / "catalogue-files"),
        "IMPORTS_ROOT": str(scratch / "imports"),
        "SEARCH_LOCAL_PATH": str(scratch / "search"),
        "DEBUG": "false",
        "HTTPS": "false",
        "SERVE_MEDIA": "true",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("MEILISEARCH_URL", None)

    # collectstatic needs no database: it runs while the database migrates.
    migrate = _manage(env, "migrate", "--noinput", "-v0")
    collectstatic = _manage(env, "collectstatic", "--noinput", "-v0")
    _finish(migrate)
    _finish(collectstatic)
    _finish(_manage(env, "setup_demo"))
    for script in shell_scripts:
        _finish(_manage(env, "shell", "-c", script))

    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log_path = scratch / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [str(gunicorn), "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--access-logfile", "-"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(base_url + "/healthz"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"gunicorn did not answer /healthz with 200 within "
                    f"{STARTUP_SECONDS} s (exit code {server.poll()}). Log:\n"
                    + log_path.read_text(errors="replace"),
                    pytrace=False,
                )
            time.sleep(0.2)
        yield Portal(base_url=base_url, demo_password=DEMO_PASSWORD)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def portal():
    with serve_portal() as served:
        yield served


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(apt-get install chromium fonts-wqy-microhei, or run `make test`).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser, portal):
    """New browser contexts bound to the portal, closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("base_url", portal.base_url)
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shared_context(browser, portal):
    """One context for the tests that need nothing special: English, no login."""
    context = browser.new_context(
        base_url=portal.base_url, viewport=DESKTOP, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(shared_context):
    """A fresh tab, 1280 px wide; set_viewport_size() for other screens."""
    page = shared_context.new_page()
    yield page
    page.close()


def save_screenshot(page, name):
    """A full-page screenshot under var/test-artifacts/, for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


_axe = Axe()


def assert_no_axe_violations(page):
    """axe-core finds nothing on the page as it is now."""
    results = _axe.run(page)
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"axe-core found {len(violations)} violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
    pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture
def screenshot():
    return save_screenshot


@pytest.fixture
def axe_check():
    return assert_no_axe_violations
