"""Project-wide checks that CI would otherwise need separate steps for."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).parent / "ruff"


def test_django_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_ruff_finds_nothing_to_fix():
    result = subprocess.run(
        [str(RUFF), "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_code_is_formatted_with_ruff():
    result = subprocess.run(
        [str(RUFF), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_no_template_comment_runs_past_its_line():
    """Django's {# … #} ends on its own line: one that goes on is printed on
    the page as text (it once showed on the search page). Longer comments
    are {% comment %} blocks."""
    templates = sorted((ROOT / "templates").rglob("*.html"))
    templates += sorted(ROOT.glob("*/templates/**/*.html"))
    assert len(templates) > 20
    unclosed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert not unclosed, unclosed


def test_no_template_holds_an_executable_inline_script():
    """Scripts come from files under static/, so a Content Security Policy of
    script-src 'self' can forbid inline code; JSON-LD data blocks are not run."""
    templates = sorted((ROOT / "templates").rglob("*.html"))
    templates += sorted(ROOT.glob("*/templates/**/*.html"))
    opening = re.compile(r"<script\b([^>]*)>")
    inline = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in opening.finditer(path.read_text())
        if "src=" not in match.group(1) and "application/ld+json" not in match.group(1)
    ]
    assert len(templates) > 20
    assert not inline, inline
