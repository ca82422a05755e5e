import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image
from wagtail.models import Page

from home.models import ArchiveSettings, Menu, MenuItem
from tests import demo_support

# The demo, built once per test from a bundle written once per run.
demo_bundle = demo_support.demo_bundle
demo = demo_support.demo
setup_demo = demo_support.setup_demo


def test_builds_the_site_in_both_languages(client, demo):
    for path, text in [
        ("/zh-hans/", "滨江市档案馆"),
        ("/en/", "Binjiang Municipal Archives"),
        ("/zh-hans/services/", "利用服务"),
        ("/en/services/", "Using the archives"),
        ("/zh-hans/services/reading-room-rules/", "阅览室须知"),
        ("/en/services/reading-room-rules/", "Reading room rules"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path


def test_fills_the_archives_settings_menus_and_logo(client, demo):
    archive = ArchiveSettings.objects.get()
    assert archive.archive_name == "滨江市档案馆"
    assert archive.logo is not None
    assert Menu.objects.count() == 4
    for item in MenuItem.objects.select_related("menu__locale"):
        language = item.menu.locale.language_code
        with translation.override(language):
            assert item.url.startswith(f"/{language}/"), (item.text, item.url)
    html = client.get("/en/").content.decode()
    assert "118 Jiefang North Road" in html
    assert "滨ICP备05001862号" in html


def test_the_logo_is_sharp_on_phone_screens(client, demo):
    """Phones have two or three device pixels to a CSS pixel: a 48 px logo
    alone is blurred there (Lighthouse's image-size-responsive)."""
    response = client.get("/zh-hans/")
    assert response.status_code == 200
    logo = re.search(r'<img class="brand__logo"[^>]*>', response.content.decode())
    assert logo, "the header shows no logo"
    tag = logo.group()
    assert 'width="48" height="48"' in tag
    candidates = dict(
        reversed(candidate.split())
        for candidate in re.search(r'srcset="([^"]+)"', tag).group(1).split(", ")
    )
    assert set(candidates) == {"1x", "2x"}
    name = candidates["2x"].removeprefix(settings.MEDIA_URL)
    with default_storage.open(name) as stored, Image.open(stored) as image:
        assert image.height == 96


def test_prints_a_login_that_opens_the_admin(client, demo):
    assert "editor / a-long-demo-password" in demo
    assert client.login(username="editor", password="a-long-demo-password")
    response = client.get("/admin/")
    assert response.status_code == 200


def test_running_it_again_duplicates_nothing(demo):
    counts = (
        Page.objects.count(),
        Menu.objects.count(),
        get_user_model().objects.count(),
        ArchiveSettings.objects.count(),
    )
    output = setup_demo()
    assert "Created" not in output
    assert (
        Page.objects.count(),
        Menu.objects.count(),
        get_user_model().objects.count(),
        ArchiveSettings.objects.count(),
    ) == counts


def test_leaves_editors_changes_alone(demo):
    page = Page.objects.get(slug="services", locale__language_code="zh-hans").specific
    page.title = "档案利用"
    page.save_revision().publish()
    setup_demo()
    page.refresh_from_db()
    assert page.title == "档案利用"


def test_the_editor_keeps_menus_and_archive_settings_up_to_date(client, demo):
    client.login(username="editor", password="a-long-demo-password")
    assert client.get("/admin/snippets/home/menu/").status_code == 200
    response = client.get("/admin/settings/home/archivesettings/")
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # to the settings of the current site
        assert client.get(response["Location"]).status_code == 200
