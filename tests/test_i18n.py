"""Two languages: zh-Hans by default, English second, each with its own URLs."""

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import StandardPageFactory

ROOT = Path(__file__).resolve().parent.parent


def test_root_sends_visitors_to_chinese_by_default(client, bilingual_site):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_root_sends_english_readers_to_english(client, bilingual_site):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.8"})
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/zh-hans/", "zh-Hans", "滨江市档案馆"),
        ("/en/", "en", "Binjiang Municipal Archives"),
    ],
)
def test_each_language_has_its_home_page_and_html_lang(
    client, bilingual_site, path, lang, title
):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'<h1 id="page-title" class="home-hero__title">{title}</h1>' in html


def test_switcher_keeps_the_visitor_on_the_translated_page(client, services_page):
    html = client.get("/zh-hans/services/").content.decode()
    assert 'href="/en/services/" hreflang="en" lang="en">English</a>' in html
    assert '<span aria-current="true" lang="zh-Hans">中文</span>' in html
    # Absolute, on the public address: search engines refuse relative ones.
    base = settings.WAGTAILADMIN_BASE_URL
    assert f'<link rel="alternate" hreflang="en" href="{base}/en/services/">' in html

    english = client.get("/en/services/").content.decode()
    assert 'href="/zh-hans/services/" hreflang="zh-Hans" lang="zh-Hans">中文</a>' in (
        english
    )


def test_switcher_offers_the_home_page_when_there_is_no_translation(
    client, bilingual_site
):
    StandardPageFactory(parent=bilingual_site.home, title="新闻", slug="news")
    html = client.get("/zh-hans/news/").content.decode()
    assert 'href="/en/" hreflang="en" lang="en">English</a>' in html
    assert 'hreflang="en" href=' not in html  # no alternate that does not exist


def test_interface_strings_follow_the_language(client, services_page):
    chinese = client.get("/zh-hans/services/").content.decode()
    assert "跳到主要内容" in chinese
    assert 'aria-label="当前位置"' in chinese
    english = client.get("/en/services/").content.decode()
    assert "Skip to main content" in english
    assert 'aria-label="Breadcrumb"' in english


def test_dates_are_written_the_chinese_way_in_chinese(client, services_page):
    published = timezone.make_aware(datetime.datetime(2015, 7, 27, 10, 0))
    services_page.get_translations(inclusive=True).update(last_published_at=published)

    chinese = client.get("/zh-hans/services/").content.decode()
    assert "最后更新：" in chinese
    assert '<time datetime="2015-07-27">2015年7月27日</time>' in chinese

    english = client.get("/en/services/").content.decode()
    assert 'Last updated: <time datetime="2015-07-27">27 July 2015</time>' in english


def catalogue(language):
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def test_every_interface_string_is_translated_into_chinese():
    entries = [entry for entry in catalogue("zh_Hans") if not entry.obsolete]
    assert entries, "the zh_Hans catalogue is empty"
    untranslated = [e.msgid for e in entries if not e.translated()]
    assert untranslated == []


def test_catalogues_hold_every_string_the_code_marks(tmp_path):
    """`make messages` would find nothing new: no string escapes translation."""
    copy = tmp_path / "portal"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.mo"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=zh_Hans"]
        + ["--ignore=tests", "--ignore=var", "--ignore=.venv", "--no-obsolete"],
        cwd=copy,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))
    marked = {entry.msgid for entry in fresh}
    known = {entry.msgid for entry in catalogue("zh_Hans")}
    assert marked - known == set()


def test_english_catalogue_exists_for_the_same_strings():
    english = {entry.msgid for entry in catalogue("en")}
    chinese = {entry.msgid for entry in catalogue("zh_Hans")}
    assert english == chinese


def test_templates_use_full_width_punctuation_in_chinese():
    for entry in catalogue("zh_Hans"):
        assert not re.search(r"[\u4e00-\u9fff][,:;?!]", entry.msgstr), entry.msgstr
