"""The demo's catalogue bundle, written once per test run.

Drawing its page scans is most of what `setup_demo` costs; the bundle depends
only on its sources (portal.demo.catalogue.write_bundle keeps one whose
fingerprint matches), so each test's var/ links to the one written here.
"""

import io

import pytest
from django.core.management import call_command

from portal.demo import catalogue


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo") / "demo-catalogue"
    catalogue.write_bundle(directory)
    return directory


@pytest.fixture
def demo(db, monkeypatch, tmp_path, settings, demo_bundle):
    """The whole demo portal built by `setup_demo`; its printed output."""
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo-catalogue").symlink_to(demo_bundle, target_is_directory=True)
    monkeypatch.setenv("DEMO_PASSWORD", "a-long-demo-password")
    return setup_demo()


def setup_demo():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()
