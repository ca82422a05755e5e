"""The admin speaks the editor's language, and all of it is Chinese in Chinese.

The wording tests read the catalogues in locale/ as they are now: each test
compiles them afresh into a scratch LOCALE_PATHS (polib, no gettext tools), so
a stale .mo cannot make them pass or fail.
"""

import ast
import json
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import trans_real
from wagtail.users.models import UserProfile

from portal import admin_wordings
from tests.factories import FileFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "locale"
DASHBOARD = "/admin/"
ENGLISH_BROWSER = {"accept-language": "en-GB,en;q=0.9"}
CHINESE_BROWSER = {"accept-language": "zh-CN,zh;q=0.9"}


def editor(preferred_language=""):
    user = UserFactory(is_superuser=True)
    if preferred_language:
        UserProfile.objects.update_or_create(
            user=user, defaults={"preferred_language": preferred_language}
        )
    return user


def html_lang(response):
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    return match and match.group(1)


# The editor's language ---------------------------------------------------------


def test_an_editor_without_a_preference_gets_chinese_whatever_the_browser_says(
    client, bilingual_site
):
    client.force_login(editor())
    response = client.get(DASHBOARD, headers=ENGLISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"
    assert response["Content-Language"] == "zh-hans"
    assert "控制面板" in response.content.decode()  # Wagtail's "Dashboard"
    # The public site still follows the browser: this is the admin's rule only.
    public = client.get("/", headers=ENGLISH_BROWSER)
    assert public.status_code == 302 and public["Location"] == "/en/"


def test_a_language_cookie_does_not_change_the_admin(client, bilingual_site):
    client.force_login(editor())
    client.cookies["django_language"] = "en"
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"


def test_an_editor_who_prefers_english_gets_english_from_a_chinese_browser(
    client, bilingual_site
):
    client.force_login(editor("en"))
    response = client.get(DASHBOARD, headers=CHINESE_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"
    assert "Dashboard" in response.content.decode()
    # Our own admin views too, not only Wagtail's.
    record = FileFactory()
    files = client.get(
        f"/admin/catalogue/records/{record.pk}/files/", headers=CHINESE_BROWSER
    )
    assert files.status_code == 200 and html_lang(files) == "en"


def test_an_editor_who_prefers_chinese_gets_chinese_from_an_english_browser(
    client, bilingual_site
):
    client.force_login(editor("zh-hans"))
    response = client.get(DASHBOARD, headers=ENGLISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"


def test_the_login_page_is_in_the_portal_language(client, db):
    response = client.get("/admin/login/", headers=ENGLISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"


def test_public_pages_keep_the_language_of_their_address(client, bilingual_site):
    client.force_login(editor("zh-hans"))
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


# Wagtail's wordings in Chinese ---------------------------------------------------


@pytest.fixture
def catalogues(settings, tmp_path):
    """locale/ compiled now, and only it, as our LOCALE_PATHS."""
    for po in CATALOGUES.glob("*/LC_MESSAGES/django.po"):
        target = tmp_path / po.relative_to(CATALOGUES).with_suffix(".mo")
        target.parent.mkdir(parents=True)
        polib.pofile(str(po)).save_as_mofile(str(target))
    settings.LOCALE_PATHS = [tmp_path]  # setting_changed empties Django's cache
    yield polib.pofile(str(CATALOGUES / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def chinese(catalogue, msgid):
    entry = catalogue.find(msgid)
    assert entry and entry.translated(), f"no Chinese in locale/ for {msgid!r}"
    return entry.msgstr or entry.msgstr_plural[0]


def marked_msgids(module):
    """The msgids `make messages` finds in a module: the first argument of
    each gettext_noop and ngettext_lazy call."""
    tree = ast.parse(Path(module.__file__).read_text())
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) in {"gettext_noop", "ngettext_lazy"}
    ]


def test_every_wagtail_wording_we_override_has_its_chinese(catalogues):
    msgids = marked_msgids(admin_wordings)
    assert len(msgids) == len(admin_wordings.WORDINGS) + len(
        admin_wordings.PLURAL_WORDINGS
    )
    assert "Your pages and snippets in a workflow" in msgids
    for msgid in msgids:
        assert re.search(r"[\u4e00-\u9fff]", chinese(catalogues, msgid)), msgid


def test_the_chinese_dashboard_shows_our_wordings(client, bilingual_site, catalogues):
    client.force_login(editor())
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    search = chinese(catalogues, "Search all pages…")
    assert f'placeholder="{search}"' in html
    assert "Search all pages" not in html
    pages = chinese(
        catalogues,
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
    ).split("%(total)s")[1]
    assert re.search(rf"[0-9]+{re.escape(pages.split('<')[0])}", html)
    assert not re.search(r"[0-9]+ Pages?\b", html)


def test_the_pages_menu_of_the_chinese_admin_is_wagtails_pages(
    client, bilingual_site, catalogues
):
    """Our own "Pages" (a pagination label) once took over Wagtail's menu."""
    client.force_login(editor())
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    menu = json.dumps(json.loads(props.group(1)), ensure_ascii=False)
    assert '"label": "页面"' in menu
    assert '"label": "分页"' not in menu


# msgids of ours that are Wagtail's or Django's too, with another meaning here:
# ours carry a context, so our Chinese (题名, 页数…) never replaces theirs in the
# admin (标题, 页面…). Found by comparing locale/ with the installed catalogues.
OWN_MEANINGS = [
    ("title", "archival description"),
    ("pages", "number of pages"),
    ("label", "text shown for it"),
    ("Description", "archival description"),
    ("description", "chronicle event"),
    ("Field", "archival description"),
    ("Warnings", "import report"),
    ("Page", "pagination"),
]


def field_label(html, name):
    """The words of a field's label, without its markup and required mark."""
    match = re.search(rf'<label[^>]*for="id_{name}"[^>]*>(.*?)</label>', html, re.S)
    return match and re.sub(r"<[^>]+>|\*", "", match.group(1)).strip()


def test_our_wordings_leave_wagtails_and_djangos_alone(
    client, bilingual_site, catalogues, settings
):
    ours = settings.LOCALE_PATHS
    settings.LOCALE_PATHS = []  # only the installed apps' catalogues
    with translation.override("zh-hans"):
        theirs = {msgid: translation.gettext(msgid) for msgid, _context in OWN_MEANINGS}
    settings.LOCALE_PATHS = ours
    assert theirs["title"] == "标题" and theirs["pages"] == "页面"
    with translation.override("zh-hans"):
        for msgid, context in OWN_MEANINGS:
            assert translation.gettext(msgid) == theirs[msgid], msgid
            mine = translation.pgettext(context, msgid)
            assert mine == chinese_in_context(catalogues, context, msgid)
            assert mine != theirs[msgid], msgid

    # In the admin: a page's title is Wagtail's 标题, a record's is our 题名.
    client.force_login(editor("zh-hans"))
    page = client.get(f"/admin/pages/{bilingual_site.home.pk}/edit/")
    record = client.get(f"/admin/snippets/catalogue/record/edit/{FileFactory().pk}/")
    assert page.status_code == record.status_code == 200
    assert field_label(page.content.decode(), "title") == "标题"
    assert field_label(record.content.decode(), "title") == "题名"


def chinese_in_context(catalogue, context, msgid):
    entry = catalogue.find(msgid, msgctxt=context)
    assert entry and entry.translated(), f"no Chinese in locale/ for {context}|{msgid}"
    return entry.msgstr


# Every wording of the main admin views, in Chinese --------------------------------


@pytest.fixture
def untranslated(catalogues, monkeypatch):
    """The msgids the Chinese catalogue cannot answer while a test runs."""
    trans_real._translations = {}
    chinese_translation = trans_real.translation("zh-hans")
    missed = set()
    gettext, ngettext = chinese_translation.gettext, chinese_translation.ngettext

    def recording_gettext(message):
        if chinese_translation._catalog.get(message) is None:
            missed.add(message.replace("\x04", " | "))  # context | msgid
        return gettext(message)

    def recording_ngettext(singular, plural, number):
        try:
            chinese_translation._catalog.plural(singular, number)
        except KeyError:
            missed.add(singular)
        return ngettext(singular, plural, number)

    monkeypatch.setattr(chinese_translation, "gettext", recording_gettext)
    monkeypatch.setattr(chinese_translation, "ngettext", recording_ngettext)
    return missed


def test_the_main_admin_views_leave_nothing_in_english(
    client, bilingual_site, untranslated
):
    client.force_login(editor())
    record = FileFactory()
    home = bilingual_site.home.pk
    views = [
        DASHBOARD,
        "/admin/snippets/catalogue/record/",
        f"/admin/snippets/catalogue/record/edit/{record.pk}/",
        "/admin/snippets/catalogue/record/add/",
        f"/admin/snippets/catalogue/record/history/{record.pk}/",
        f"/admin/catalogue/records/{record.pk}/files/",
        "/admin/catalogue_parent_chooser/",
        "/admin/catalogue/import/",
        "/admin/snippets/catalogue/repository/",
        "/admin/snippets/catalogue/accesswording/",
        "/admin/pages/",
        f"/admin/pages/{home}/",
        f"/admin/pages/{home}/edit/",
        "/admin/account/",
    ]
    for view in views:
        response = client.get(view, headers=ENGLISH_BROWSER)
        assert response.status_code == 200, view
    assert sorted(untranslated) == []
