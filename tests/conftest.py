import os
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import TransactionTestCase
from wagtail.models import Locale, Site

from home.models import HomePage, StandardPage
from tests.factories import StandardPageFactory, site_with_home

# Fixtures every module may use: search_engine, indexed_catalogue.
pytest_plugins = ["tests.search_fixtures"]


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Pages render with the production static storage, which needs a manifest."""
    call_command("collectstatic", interactive=False, verbosity=0)


@dataclass
class BilingualSite:
    site: Site
    zh: Locale
    en: Locale
    home: HomePage
    home_en: HomePage

    def translate(self, page, **fields):
        """Publish an English translation of `page` with the given fields."""
        translated = page.copy_for_translation(self.en).specific
        for name, value in fields.items():
            setattr(translated, name, value)
        translated.save_revision().publish()
        return translated


@pytest.fixture
def bilingual_site(db):
    """A Chinese home page as the site's root, with its English translation."""
    zh = Locale.get_default()
    en, _ = Locale.objects.get_or_create(language_code="en")
    site, home = site_with_home(locale=zh)
    result = BilingualSite(site=site, zh=zh, en=en, home=home, home_en=None)
    result.home_en = result.translate(
        home, title="Binjiang Municipal Archives", slug="home-en"
    )
    return result


@pytest.fixture
def services_page(bilingual_site):
    """利用服务, translated as 'Using the archives'."""
    page = StandardPageFactory(
        parent=bilingual_site.home, title="利用服务", slug="services"
    )
    bilingual_site.translate(page, title="Using the archives", slug="services")
    return StandardPage.objects.get(pk=page.pk)


def uses_database(item):
    if item.get_closest_marker("django_db"):
        return True
    if {"db", "transactional_db"} & set(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    return isinstance(cls, type) and issubclass(cls, TransactionTestCase)


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL run, only tests that touch the database are worth it."""
    if os.environ.get("PORTAL_DATABASE_TESTS_ONLY") != "1":
        return
    selected = [item for item in items if uses_database(item)]
    deselected = [item for item in items if not uses_database(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
