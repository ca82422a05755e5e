"""The design system's components (templates/components/, static/css/components.css)
render from the small context their partials document, and are the only
pagination and breadcrumbs on the public site."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from portal.pagination import keyset_links, numbered_links, page_links

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CSS = Path(settings.BASE_DIR) / "static" / "css"


def url_for(number):
    return f"/list/?page={number}"


def page_of(number, pages=20):
    return Paginator(range(pages * 10), 10).page(number)


def render(name, context, path="/", lang="en", **get):
    request = RequestFactory().get(path, get)
    with translation.override(lang):
        return render_to_string(f"components/{name}.html", context, request=request)


def numbers(pagination):
    return [item.get("number", item.get("gap")) for item in pagination["items"]]


# The builder -----------


def test_page_links_elide_far_pages_with_gaps():
    links = page_links(page_of(10), url_for)
    assert numbers(links) == [1, "…", 8, 9, 10, 11, 12, "…", 20]
    assert [item["number"] for item in links["items"] if item.get("current")] == [10]
    assert links["previous"] == "/list/?page=9"
    assert links["next"] == "/list/?page=11"
    assert links["items"][0]["url"] == "/list/?page=1"
    assert links["keyset"] is False


def test_the_first_page_has_no_previous_and_the_last_no_next():
    first = page_links(page_of(1), url_for)
    last = page_links(page_of(20), url_for)
    assert first["previous"] == "" and first["next"] == "/list/?page=2"
    assert last["next"] == "" and last["previous"] == "/list/?page=19"
    assert numbers(first) == [1, 2, 3, "…", 20]
    assert numbers(last) == [1, "…", 18, 19, 20]


def test_a_list_on_one_page_has_no_pagination():
    assert page_links(page_of(1, pages=1), url_for) is None
    assert page_links(page_of(1, pages=2), url_for) is not None


def test_numbered_links_keep_the_page_within_the_list():
    assert numbered_links(7, 3, url_for)["next"] == ""  # past the end: the last
    assert numbered_links(0, 3, url_for)["previous"] == ""
    assert numbers(numbered_links(2, 3, url_for)) == [1, 2, 3]
    assert numbered_links(1, 1, url_for) is None


def test_keyset_links_have_no_numbers():
    links = keyset_links(first="/n/", newer="/n/?after=b", older="/n/?before=a")
    assert links == {
        "keyset": True,
        "items": [],
        "previous": "/n/?after=b",
        "next": "/n/?before=a",
        "first": "/n/",
    }
    assert keyset_links() is None


# Pagination ----------


def test_numbered_pagination_renders_gaps_rel_and_the_current_page():
    html = render(
        "pagination",
        {"pagination": page_links(page_of(10), url_for), "label": "Pages of results"},
    )
    assert '<nav class="pagination" aria-label="Pages of results">' in html
    assert '<a href="/list/?page=9" rel="prev">Previous page</a>' in html
    assert '<a href="/list/?page=11" rel="next">Next page</a>' in html
    assert html.count('<span class="pagination__gap">…</span>') == 2
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == ["/list/?page=10"]
    assert (
        '<a href="/list/?page=12"><span class="visually-hidden">Page </span>12</a>'
        in html
    )
    assert "data-search-link" not in html


def test_search_pagination_marks_every_link_for_search_js():
    html = render(
        "pagination",
        {"pagination": page_links(page_of(1), url_for), "search_links": True},
    )
    links = re.findall(r"<a [^>]*>", html)
    assert len(links) == 5  # 1, 2, 3, 20 and next
    assert all("data-search-link" in link for link in links)
    assert 'rel="prev"' not in html  # the first page
    assert '<a href="/list/?page=1" data-search-link aria-current="page">' in html
    assert 'aria-label="Pages of the list"' in html  # the default label


def test_last_page_has_no_next():
    html = render("pagination", {"pagination": page_links(page_of(20), url_for)})
    assert 'rel="prev"' in html
    assert 'rel="next"' not in html


def test_keyset_pagination_renders_newest_newer_and_older_only():
    html = render(
        "pagination",
        {"pagination": keyset_links(first="/n/", newer="/n/?after=b", older="")},
    )
    assert '<a href="/n/">Newest</a>' in html
    assert '<a href="/n/?after=b" rel="prev">Newer records</a>' in html
    assert "Older records" not in html
    assert "aria-current" not in html and "visually-hidden" not in html


def test_no_pagination_renders_nothing():
    assert render("pagination", {"pagination": None}).strip() == ""
    assert "<nav" in render("pagination", {"pagination": keyset_links(older="/o/")})


def test_list_pagination_keeps_the_other_parameters(rf):
    template = Template(
        "{% load portal_tags %}{% list_pagination listing anchor='#records' as p %}"
        "{{ p.next }} {{ p.items.0.url }}"
    )
    request = rf.get("/hall/", {"theme": "港口", "page": "2"})
    html = template.render(Context({"request": request, "listing": page_of(2)}))
    assert html == (
        "?theme=%E6%B8%AF%E5%8F%A3&amp;page=3#records "
        "?theme=%E6%B8%AF%E5%8F%A3&amp;page=1#records"
    )


# Breadcrumbs ----------


@pytest.mark.django_db
def test_breadcrumbs_render_home_the_crumbs_and_the_current_page(bilingual_site):
    crumbs = [
        {"title": "Catalogue", "url": "/en/catalogue/"},
        {"title": "滨江海关档案", "url": "/en/catalogue/J0001/", "lang": "zh-Hans"},
    ]
    html = render(
        "breadcrumbs",
        {"crumbs": crumbs, "current_title": "码头", "current_lang": "zh-Hans"},
    )
    assert re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">', html)
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items == [
        '<a href="/en/">Home</a>',
        '<a href="/en/catalogue/">Catalogue</a>',
        '<a href="/en/catalogue/J0001/" lang="zh-Hans">滨江海关档案</a>',
        '<span aria-current="page" lang="zh-Hans">码头</span>',
    ]


@pytest.mark.django_db
def test_breadcrumbs_included_with_only_still_lead_to_this_languages_home(
    bilingual_site, rf
):
    """Pages include components with `only`: no context processors' variables."""
    template = Template(
        '{% include "components/breadcrumbs.html" with crumbs=None'
        ' current_title="Search" only %}'
    )
    with translation.override("en"):
        html = template.render(RequestContext(rf.get("/en/search/"), {}))
    assert '<li><a href="/en/">Home</a></li>' in html


@pytest.mark.django_db
def test_breadcrumbs_without_crumbs_lead_home_only(bilingual_site):
    html = render("breadcrumbs", {"crumbs": None, "current_title": "Search"})
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items == [
        '<a href="/en/">Home</a>',
        '<span aria-current="page">Search</span>',
    ]


# Notice, card, record summary, hit, facet ----------


def test_notice_has_its_role_and_a_link_after_a_sentence_space():
    context = {
        "text": "Nothing matched.",
        "role": "status",
        "link_url": "/all/",
        "link_text": "Show all",
    }
    html = render("notice", context).strip()
    assert html == (
        '<p class="notice" role="status">Nothing matched. '
        '<a href="/all/">Show all</a></p>'
    )
    chinese = render(
        "notice", context | {"text": "没有符合条件的展览。"}, lang="zh-hans"
    )
    assert "展览。<a " in chinese  # no space after full-width punctuation
    plain = render("notice", {"text": "Shown in Chinese.", "variant": "translation"})
    assert (
        plain.strip() == '<p class="notice notice--translation">Shown in Chinese.</p>'
    )


def test_card_with_a_heading_and_an_untranslated_page():
    context = {
        "url": "/en/exhibitions/harbour/",
        "title": "江海通衢",
        "heading": "h3",
        "meta": "1950–1960",
        "text": "码头的故事",
        "untranslated": True,
        "variant": "exhibition",
    }
    html = render("card", context)
    assert '<li class="card card--exhibition">' in html
    assert (
        '<h3 class="card__title"><a class="card__link" href="/en/exhibitions/harbour/"'
        ' lang="zh-Hans">江海通衢</a></h3>'
    ) in html
    assert '<p class="card__meta">1950–1960</p>' in html
    assert '<p class="card__text" lang="zh-Hans">码头的故事</p>' in html
    assert '<p class="card__badge">In Chinese only</p>' in html


def test_card_without_a_heading_is_a_plain_link():
    html = render("card", {"url": "/en/about/", "title": "About"})
    assert '<li class="card">' in html
    assert '<a class="card__link" href="/en/about/">About</a>' in html
    assert "card__title" not in html and "lang=" not in html
    assert "card__badge" not in html and "card__text" not in html


class Record:
    title = "海关税务"
    title_en = ""
    reference_code = "J0001-001"
    digitised = True


def test_record_summary_lists_its_parts_after_the_code():
    html = render(
        "record_summary",
        {
            "record": Record(),
            "url": "/en/catalogue/J0001-001/",
            "level": "File",
            "dates": "1956",
            "repository": "Binjiang",
            "note": "3 records",
        },
    )
    assert (
        '<a class="record-summary__title" href="/en/catalogue/J0001-001/"'
        ' lang="zh-Hans">海关税务</a>'
    ) in html
    assert re.search(
        r'<span class="code">J0001-001</span> · File · <span class="nowrap">1956</span>'
        r' · Binjiang · <span class="nowrap">3 records</span>'
        r' · <span class="record-summary__digitised">Digitised</span>',
        html,
    )
    bare = Record()
    bare.digitised = False
    minimal = render("record_summary", {"record": bare, "url": "/r/"})
    assert re.search(r"J0001-001</span></span>\s*$", minimal)


def test_hit_renders_a_record_with_its_path():
    hit = {
        "kind": "record",
        "type_label": "File",
        "url": "/en/catalogue/J0001-001/",
        "title_html": "Customs duties",
        "title_lang": "",
        "reference_code": "J0001-001",
        "date_html": "1956",
        "repository": {"name": "Binjiang"},
        "repository_lang": "",
        "digital": True,
        "breadcrumb": [
            {"title": "海关", "url": "/en/catalogue/J0001/", "lang": "zh-Hans"}
        ],
    }
    html = render("hit", {"hit": hit})
    assert '<li class="hit hit--record">' in html
    assert '<a href="/en/catalogue/J0001-001/">Customs duties</a>' in html
    assert '<span class="hit__digital">Digitised</span>' in html
    assert '<a href="/en/catalogue/J0001/" lang="zh-Hans">海关</a>' in html


def test_facet_renders_its_values_and_folds_the_rest():
    entry = {
        "id": "f-level-file",
        "value": "file",
        "label": "File",
        "lang": "",
        "count": 3,
    }
    facet = {
        "name": "level",
        "label": "Level",
        "first": [entry | {"selected": True}],
        "rest": [entry | {"id": "f-level-item", "value": "item", "label": "Item"}],
        "rest_selected": False,
    }
    html = render("facet", {"facet": facet})
    assert '<fieldset class="facet" data-facet="level">' in html
    assert re.search(
        r'id="f-level-file" name="level" value="file" form="search-form" checked>', html
    )
    assert re.search(
        r'id="f-level-item" name="level" value="item" form="search-form">', html
    )
    assert '<details class="facet__more" data-facet-group="level">' in html


# One home per component ----------


def own_markup(pattern):
    """Templates outside templates/components/ that write the markup themselves.
    The admin's record files use Wagtail's own pagination, not the portal's."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith(("components/", "catalogue/admin/")):
            continue
        if re.search(pattern, path.read_text()):
            found.append(relative)
    return sorted(found)


def test_pagination_and_breadcrumbs_are_written_only_by_their_components():
    # Positive control: the scan sees the components' own markup.
    assert re.search(
        r'class="pagination"', (TEMPLATES / "components/pagination.html").read_text()
    )
    assert re.search(
        r'class="breadcrumbs"', (TEMPLATES / "components/breadcrumbs.html").read_text()
    )
    assert len(list(TEMPLATES.rglob("*.html"))) > 50
    assert own_markup(r'class="pagination[" ]') == []
    assert own_markup(r'class="breadcrumbs[" ]') == []
    assert own_markup(r'class="notice[" ]') == []
    assert own_markup(r'class="card[" ]') == []


def test_each_component_is_styled_in_one_stylesheet():
    # A class and its elements and modifiers: .card, .card__link, .card-list
    # (never .chapter-card or .record-card, other components).
    components = ["pagination", "breadcrumbs", "notice", "card", "hit", "facet"]
    sheets = {path.name: path.read_text() for path in CSS.glob("*.css")}
    assert "components.css" in sheets and len(sheets) >= 5
    for name in components:
        styled = sorted(
            sheet
            for sheet, text in sheets.items()
            if re.search(rf"\.{name}[-_\s,{{:.\[>+~]", text)
        )
        assert styled == ["components.css"], (name, styled)


def test_the_utility_classes_are_defined_once_on_every_page():
    """.visually-hidden (the pagination's hidden "Page") and .nowrap (dates in
    a record summary) are used by components on every page, so they live in
    portal.css, which every page loads, and nowhere else (four copies once
    differed, and a page without its app's stylesheet had none)."""
    sheets = {path.name: path.read_text() for path in CSS.glob("*.css")}
    for name in ("visually-hidden", "nowrap"):
        rule = re.compile(rf"^\.{name} \{{", re.MULTILINE)
        defined = sorted(sheet for sheet, text in sheets.items() if rule.search(text))
        assert defined == ["portal.css"], (name, defined)
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert "css/portal.css" in base
