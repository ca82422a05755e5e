"""Settings come from the environment, and a public portal refuses to be unsafe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(50)
# What an operator sets; everything else keeps its default.
OPERATOR_VARIABLES = {
    "DEBUG",
    "HTTPS",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "MEILISEARCH_URL",
}


def manage(*args, **environment):
    clean = {k: v for k, v in os.environ.items() if k not in OPERATOR_VARIABLES}
    clean.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_refuses_a_weak_secret_key_when_debug_is_off():
    result = manage("check", SECRET_KEY="django-insecure-" + "x" * 60)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_a_misspelt_boolean_is_a_clear_error():
    result = manage("check", DEBUG="maybe", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_deployment_checks_report_nothing_in_production():
    result = manage("check", "--deploy", "--fail-level=DEBUG", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def show(setting, **environment):
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
        "from django.conf import settings; print(repr(settings." + setting + "))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in OPERATOR_VARIABLES}
    clean.update({"SECRET_KEY": STRONG_KEY, **environment})
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_database_defaults_to_a_sqlite_file_under_var():
    assert show("DATABASES['default']['NAME']") == repr(
        str(ROOT / "var" / "portal.sqlite3")
    )


def test_database_url_selects_postgresql():
    shown = show(
        "DATABASES['default']",
        DATABASE_URL="postgres://archive:secret@db.internal:5432/portal",
    )
    assert "'ENGINE': 'django.db.backends.postgresql'" in shown
    assert "'HOST': 'db.internal'" in shown
    assert "'NAME': 'portal'" in shown


def test_hosts_media_and_search_engine_come_from_the_environment():
    assert show("ALLOWED_HOSTS", ALLOWED_HOSTS="archives.example, www.example") == (
        "['archives.example', 'www.example']"
    )
    assert show("MEDIA_ROOT", MEDIA_ROOT="/srv/media") == "PosixPath('/srv/media')"
    assert show("MEILISEARCH_URL", MEILISEARCH_URL="http://search:7700") == (
        "'http://search:7700'"
    )
    assert show("MEILISEARCH_INDEX_PREFIX") == "'portal'"


def test_plain_http_is_only_for_the_local_demo():
    assert show("SECURE_SSL_REDIRECT") == "True"
    assert show("SESSION_COOKIE_SECURE", HTTPS="false") == "False"
