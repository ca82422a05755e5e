"""The home page is built around search: a large labelled search box with
searches to try, the archive in figures, featured pages in full rows, and
历史上的今天 from the chronicle."""

import datetime

import pytest
from django.utils import timezone

from home.templatetags.portal_tags import summary
from tests.exhibitions_support import build_curated
from tests.factories import ChronicleEventPageFactory


@pytest.fixture
def curated(bilingual_site):
    return build_curated(bilingual_site)


def home_html(client, url="/zh-hans/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    assert f'id="{heading_id}"' in html, heading_id
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_the_search_box_is_labelled_and_the_only_one(client, curated):
    home = curated.site.home
    home.search_examples = "码头, 海关税务、1956"
    home.save_revision().publish()
    html = home_html(client)
    assert (
        '<label class="home-search__label" id="home-search-label" for="home-search-q">'
        in html
    )
    assert html.count('type="search"') == 1
    examples = section(html, "page-title")
    for words, query in (("码头", "%E7%A0%81%E5%A4%B4"), ("1956", "1956")):
        assert f'href="/zh-hans/search/?q={query}">{words}</a>' in examples
    assert "海关税务" in examples
    # The phone menu's toggle names only the menu: the search is in the page.
    assert '<summary class="site-nav__toggle">菜单</summary>' in html


def test_pages_other_than_home_keep_the_header_search(client, curated):
    response = client.get(curated.exhibitions.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="site-search-q"' in html
    assert 'id="home-search-q"' not in html


def test_the_figures_count_open_records_only_and_follow_a_closing(client, curated):
    figures = section(home_html(client), "home-figures")
    # The file and its two open items (above them the factories' fonds and
    # series); the closed and the withdrawn item are not counted.
    open_records = curated.open_item.ancestor_ids
    expected = len(open_records) + 2
    assert f'<span class="home-figures__number">{expected}</span>' in figures
    assert "开放档案" in figures
    curated.second_item.access_status = "closed"
    curated.second_item.save()
    figures = section(home_html(client), "home-figures")
    assert f'<span class="home-figures__number">{expected - 1}</span>' in figures


def test_on_this_day_shows_the_chronicles_events_of_today(client, curated):
    today = timezone.localdate()
    that_day = datetime.date(1950, today.month, today.day)
    other_day = that_day + datetime.timedelta(days=40)
    ChronicleEventPageFactory(
        parent=curated.chronicle, title="今天发生的事", start_date=that_day
    )
    ChronicleEventPageFactory(
        parent=curated.chronicle, title="别的日子", start_date=other_day
    )
    on_this_day = section(home_html(client), "home-on-this-day")
    assert "历史上的今天" in on_this_day
    assert "今天发生的事" in on_this_day
    assert "别的日子" not in on_this_day
    assert f'href="{curated.chronicle.url}"' in on_this_day


def test_a_day_without_events_shows_the_month(client, curated):
    today = timezone.localdate()
    day = 1 if today.day != 1 else 2
    ChronicleEventPageFactory(
        parent=curated.chronicle,
        title="本月的事",
        start_date=datetime.date(1931, today.month, day),
    )
    on_this_day = section(home_html(client), "home-on-this-day")
    assert "历史上的本月" in on_this_day
    assert "本月的事" in on_this_day


def test_no_events_this_month_no_section(client, curated):
    today = timezone.localdate()
    other_month = today.month % 12 + 1
    ChronicleEventPageFactory(
        parent=curated.chronicle,
        title="别的月份",
        start_date=datetime.date(1931, other_month, 1),
    )
    html = home_html(client)
    assert 'id="page-title"' in html
    assert 'id="home-on-this-day"' not in html


@pytest.mark.parametrize(
    "text, length, shown",
    [
        ("The customs house and its wharves", 20, "The customs house…"),
        ("Shipping registers", 40, "Shipping registers"),
        ("滨江海关关于码头扩建工程的呈文及批复", 10, "滨江海关关于码头扩…"),
        ("Wharves, 1930–1949", 9, "Wharves…"),
    ],
)
def test_summaries_end_after_a_word_in_english_and_a_character_in_chinese(
    text, length, shown
):
    assert summary(text, length) == shown
    assert len(summary(text, length)) <= length


def test_newly_opened_records_lead_to_the_whole_list(client, curated):
    newly = section(home_html(client), "home-newly-opened")
    assert curated.open_item.title in newly
    assert curated.open_item.reference_code in newly
    assert curated.closed_item.title not in newly
    assert curated.withdrawn_item.title not in newly
    assert 'href="/zh-hans/newly-opened/"' in newly
