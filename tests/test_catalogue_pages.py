"""The catalogue's public pages: its front page, record pages, and the first law.

Only open records are public: a closed, controlled, not-yet-open or withdrawn
record — or anything below one — never appears in a count, a list of children,
a breadcrumb or a previous/next link, and its URL answers 404 (or 410 when it
was withdrawn).
"""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data

from catalogue.models import AccessStatus, DigitalObject, PageText, Record
from catalogue.pages import CatalogueIndexPage
from home.models import HomePage
from tests.factories import (
    FileFactory,
    FondsFactory,
    ItemFactory,
    RepositoryFactory,
    SeriesFactory,
    site_with_home,
)
from tests.test_catalogue_gate import expected_public, generate_tree

TODAY = datetime.date.today()
RECORD_LINK = re.compile(r'href="(/(?:zh-hans|en)/catalogue/[^"#?]+/)"')


def add_catalogue(home, **fields):
    fields.setdefault("title", "档案查询")
    fields.setdefault("slug", "catalogue")
    page = CatalogueIndexPage(locale=home.locale, **fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def catalogue(bilingual_site):
    """档案查询 under the Chinese home page, translated as 'Catalogue'."""
    zh = add_catalogue(bilingual_site.home, introduction="本馆开放档案目录。")
    en = bilingual_site.translate(zh, title="Catalogue", slug="catalogue")
    return SimpleNamespace(zh=zh, en=en, site=bilingual_site)


@pytest.fixture
def archive(db):
    """One fonds > series > file > items, as the examples in the brief."""
    repository = RepositoryFactory(
        code="120101", name="滨江市档案馆", name_en="Binjiang Municipal Archives"
    )
    fonds = FondsFactory(
        repository=repository,
        reference_code="J0001",
        title="滨江海关",
        title_en="Binjiang Customs",
    )
    series = SeriesFactory(parent=fonds, reference_code="J0001-001", title="文书档案")
    file = FileFactory(
        parent=series, reference_code="J0001-001-0001", title="码头扩建工程文件"
    )
    item = ItemFactory(
        parent=file,
        reference_code="J0001-001-0001-0001",
        position=1,
        title="关于码头扩建工程的呈文",
        title_en="Petition on the wharf extension works",
        creators=["滨江海关", "滨江市建设局"],
        date_expression="1956年3月12日",
        date_start=datetime.date(1956, 3, 12),
        date_end=datetime.date(1956, 3, 12),
        document_number="关字第12号",
        retention_period="永久",
        extent="4页",
        page_count=4,
        subjects=["港口建设", "码头"],
        places=["滨江"],
        scope_and_content="海关向市政府呈报码头扩建工程的计划与经费。",
        language="中文",
    )
    return SimpleNamespace(
        repository=repository, fonds=fonds, series=series, file=file, item=item
    )


def url(record, language="zh-hans", suffix=""):
    code = f"{record.repository.code}/{record.reference_code}"
    return f"/{language}/catalogue/{code}/{suffix}"


def record_links(response):
    """The reference codes of the records a page's content links to.

    The header's language switcher, which links to the page itself in the other
    language, is left out.
    """
    html = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return {
        unquote(link).rstrip("/").split("/")[-1] for link in RECORD_LINK.findall(html)
    }


# The page type ------------------------------------------------------------------


class TestCatalogueIndexPage(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        _site, home = site_with_home()
        cls.page = add_catalogue(home)
        cls.fonds = FondsFactory(reference_code="J0001", title="滨江海关")

    def test_editors_can_add_it_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(CatalogueIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, CatalogueIndexPage)
        self.assertCanNotCreateAt(Page, CatalogueIndexPage)

    def test_records_are_data_not_subpages(self):
        self.assertAllowedSubpageTypes(CatalogueIndexPage, set())

    def test_renders_its_front_page_and_a_record(self):
        self.assertPageIsRenderable(self.page)
        self.assertPageIsRenderable(
            self.page, route_path=f"/{self.fonds.repository.code}/J0001/"
        )

    def test_previews(self):
        post_data = nested_form_data(
            {
                "title": self.page.title,
                "slug": self.page.slug,
                "introduction": "本馆开放档案目录。",
            }
        )
        self.assertPageIsPreviewable(self.page, post_data=post_data)


# The catalogue's front page ----------------------------------------------------


@pytest.mark.django_db
def test_front_page_lists_repositories_with_their_public_fonds_and_counts(
    client, catalogue, archive
):
    ItemFactory(parent=archive.file, access_status=AccessStatus.CLOSED)
    ItemFactory(parent=archive.file, opening_date=TODAY + datetime.timedelta(days=3))
    FondsFactory(
        repository=archive.repository,
        reference_code="J0099",
        title="未开放全宗",
        access_status=AccessStatus.CLOSED,
    )
    FondsFactory(
        repository=archive.repository,
        reference_code="J0098",
        title="已撤回全宗",
        withdrawn=True,
    )
    other = FondsFactory(
        repository=RepositoryFactory(code="120102", name="滨江市河东区档案馆"),
        reference_code="Q0001",
        title="河东区人民政府",
    )

    response = client.get("/en/catalogue/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Binjiang Municipal Archives" in html
    assert record_links(client.get("/zh-hans/catalogue/")) == {"J0001", "Q0001"}
    html = client.get("/zh-hans/catalogue/").content.decode()
    assert "滨江市档案馆" in html and "滨江市河东区档案馆" in html
    assert record_links(response) == {"J0001", other.reference_code}
    assert "未开放全宗" not in html and "已撤回全宗" not in html
    html = response.content.decode()
    # J0001 holds a series, a file and one public item (of three).
    assert re.search(
        r'J0001</span> · Fonds · <span class="nowrap">3 records</span>', html
    ), html


def queries(client, path, **params):
    """The SQL a page costs, once Wagtail's per-process caches are warm."""
    client.get(path, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_front_page_costs_the_same_queries_however_many_fonds(
    client, catalogue, archive
):
    few = queries(client, "/zh-hans/catalogue/")
    for n in range(5):
        fonds = FondsFactory(repository=archive.repository, reference_code=f"J1{n:03d}")
        FileFactory(parent=SeriesFactory(parent=fonds))
    many = queries(client, "/zh-hans/catalogue/")
    assert len(many) == len(few)
    assert len(record_links(client.get("/zh-hans/catalogue/"))) == 6


# A record page -----------------------------------------------------------------


@pytest.mark.django_db
def test_record_page_shows_what_the_record_is_before_its_description(
    client, catalogue, archive
):
    response = client.get(url(archive.item))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert '<h1 class="record__title">关于码头扩建工程的呈文</h1>' in html
    assert '<time datetime="1956-03-12">1956年3月12日</time>' in html
    assert '<dd class="code">J0001-001-0001-0001</dd>' in html
    assert (
        '<link rel="canonical" href="http://testserver/zh-hans/catalogue/120101/'
        'J0001-001-0001-0001/">' in html
    )
    # Every public field with a value, labelled by its field name.
    for value in ("滨江市建设局", "关字第12号", "4页", "港口建设", "海关向市政府呈报"):
        assert value in html
    assert "Petition on the wharf extension works" in html
    assert html.index("record__title") < html.index('class="fields"')


@pytest.mark.django_db
def test_record_page_cites_the_record_in_chinese_and_english(
    client, catalogue, archive
):
    html = client.get(url(archive.item)).content.decode()

    assert (
        "滨江海关, 滨江市建设局. 关于码头扩建工程的呈文[A]. 滨江市档案馆, "
        "1956年3月12日. 档号 J0001-001-0001-0001." in html
    )
    assert (
        "滨江海关; 滨江市建设局. “关于码头扩建工程的呈文” "
        "[Petition on the wharf extension works], 1956-03-12. "
        "Binjiang Municipal Archives, J0001-001-0001-0001." in html
    )
    # Copy buttons come with the script; without it they stay hidden.
    assert html.count('data-copy="citation-') == 2
    assert re.search(r'<script src="/static/js/citation[.\w]*\.js" defer>', html)


@pytest.mark.django_db
def test_breadcrumb_runs_through_the_hierarchy_in_a_labelled_nav(
    client, catalogue, archive
):
    html = client.get(url(archive.item)).content.decode()

    nav = re.search(
        r'<nav class="breadcrumbs" aria-label="[^"]+">(.*?)</nav>', html, re.S
    )
    assert nav, html
    crumbs = re.findall(r">([^<>]+)</(?:a|span)>", nav.group(1))
    assert crumbs[1:] == [
        "档案查询",
        "滨江海关",
        "文书档案",
        "码头扩建工程文件",
        "关于码头扩建工程的呈文",
    ]
    assert 'aria-current="page"' in nav.group(1)


@pytest.mark.django_db
def test_the_same_record_url_works_in_english(client, catalogue, archive):
    response = client.get(url(archive.item, "en"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert (
        '<h1 class="record__title">Petition on the wharf extension works</h1>' in html
    )
    assert (
        '<p class="record__original-title" lang="zh-Hans">关于码头扩建工程的呈文</p>'
        in html
    )
    assert "<dt>Reference code</dt>" in html
    assert "12 March 1956" in html
    # Data without an English version is marked as Chinese.
    assert '<span aria-current="page" lang="zh-Hans">' not in html
    assert 'lang="zh-Hans">文书档案</a>' in html
    assert 'href="http://testserver/en/catalogue/120101/J0001-001-0001-0001/"' in html


@pytest.mark.django_db
def test_another_spelling_of_the_reference_code_redirects_to_the_permalink(
    client, catalogue, archive
):
    response = client.get("/zh-hans/catalogue/120101/j0001－001/", {"page": "2"})
    assert response.status_code == 301
    assert response["Location"] == "/zh-hans/catalogue/120101/J0001-001/?page=2"

    export = client.get("/en/catalogue/120101/j0001/dc.xml")
    assert export.status_code == 301
    assert export["Location"] == "/en/catalogue/120101/J0001/dc.xml"


@pytest.mark.django_db
def test_the_language_switcher_stays_on_the_record(client, catalogue, archive):
    html = client.get(url(archive.item)).content.decode()
    english = "/en/catalogue/120101/J0001-001-0001-0001/"
    base = settings.WAGTAILADMIN_BASE_URL
    assert f'<link rel="alternate" hreflang="en" href="{base}{english}">' in html
    assert f'<a href="{english}" hreflang="en" lang="en">English</a>' in html


@pytest.mark.django_db
def test_reference_codes_with_dots_have_permalinks_and_exports(
    client, catalogue, archive
):
    item = ItemFactory(
        parent=archive.file, reference_code="Z109-WS·2011-Y-0001.A", title="带点的档号"
    )
    html = client.get(url(archive.file)).content.decode()
    link = "/zh-hans/catalogue/120101/Z109-WS%C2%B72011-Y-0001.A/"
    assert f'href="{link}"' in html

    assert "带点的档号" in client.get(link).content.decode()
    assert client.get(url(item)).status_code == 200
    assert client.get(link + "dc.xml").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/zh-hans/catalogue/120101/J0404/",
        "/zh-hans/catalogue/999999/J0001/",
        "/en/catalogue/120101/%E2%80%8B/",
        "/zh-hans/catalogue/120101/J0001-001/no-such-export.xml",
    ],
)
def test_what_is_not_there_answers_404(client, catalogue, archive, path):
    assert client.get(path).status_code == 404


# Children, paging and neighbours ------------------------------------------------


@pytest.fixture
def big_file(archive):
    """A file of 120 items: dated backwards, so date order reverses the list."""
    for n in range(1, 121):
        ItemFactory(
            parent=archive.file,
            reference_code=f"J0001-001-0002-{n:04d}",
            position=n,
            title=f"第{n}件",
            date_start=datetime.date(1960, 1, 1) - datetime.timedelta(days=n),
        )
    archive.item.delete()
    return archive.file


def child_codes(response):
    html = response.content.decode()
    return re.findall(r'class="record-summary__title" href="[^"]*/(J[0-9-]+)/"', html)


@pytest.mark.django_db
def test_children_are_listed_fifty_a_page(client, catalogue, big_file):
    first = client.get(url(big_file))
    third = client.get(url(big_file), {"page": "3"})

    assert child_codes(first) == [f"J0001-001-0002-{n:04d}" for n in range(1, 51)]
    assert child_codes(third) == [f"J0001-001-0002-{n:04d}" for n in range(101, 121)]
    html = third.content.decode()
    assert "101–120" in html and "120" in html
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == ["/zh-hans/catalogue/120101/J0001-001-0001/?page=3#children"]
    assert (
        'href="/zh-hans/catalogue/120101/J0001-001-0001/?page=2#children" rel="prev"'
        in html
    )


@pytest.mark.django_db
def test_children_sort_by_date(client, catalogue, big_file):
    response = client.get(url(big_file), {"sort": "date"})
    codes = child_codes(response)
    assert codes[:2] == ["J0001-001-0002-0120", "J0001-001-0002-0119"]
    assert "?sort=date&amp;page=2#children" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params,first_code",
    [
        ({"page": "abc"}, "0001"),
        ({"page": "0"}, "0101"),
        ({"page": "-3"}, "0101"),
        ({"page": "999999"}, "0101"),
        ({"page": "9" * 5000}, "0001"),
        ({"sort": "'; drop table"}, "0001"),
        ({"sort": ["date", "reference"]}, "0001"),
    ],
)
def test_bad_paging_and_sort_parameters_are_ignored(
    client, catalogue, big_file, params, first_code
):
    response = client.get(url(big_file), params)
    assert response.status_code == 200
    assert child_codes(response)[0] == f"J0001-001-0002-{first_code}"


@pytest.mark.django_db
def test_a_record_page_costs_the_same_queries_however_many_children(
    client, catalogue, big_file
):
    few = queries(client, url(big_file), page="2")
    for n in range(121, 400):
        ItemFactory(
            parent=big_file, reference_code=f"J0001-001-0002-{n:04d}", position=n
        )
    many = queries(client, url(big_file), page="7")
    assert len(many) == len(few)
    # At most one COUNT: it is kept until public data changes (catalogue.views).
    counts = [sql for sql in many if "COUNT(" in sql.upper()]
    assert len(counts) <= 1, counts


@pytest.mark.django_db
def test_previous_and_next_skip_records_that_are_not_public(client, catalogue, archive):
    def item(n, **fields):
        return ItemFactory(
            parent=archive.file,
            reference_code=f"J0001-001-0001-{n:04d}",
            position=n,
            title=f"第{n}件",
            **fields,
        )

    item(2, access_status=AccessStatus.CLOSED)
    item(3, withdrawn=True)
    middle = item(4)
    item(5, opening_date=TODAY + datetime.timedelta(days=1))
    item(6, access_status=AccessStatus.CONTROLLED)
    last = item(7)

    html = client.get(url(middle)).content.decode()
    assert re.search(r'href="[^"]*/J0001-001-0001-0001/" rel="prev"', html)
    assert re.search(r'href="[^"]*/J0001-001-0001-0007/" rel="next"', html)
    assert (
        'rel="next"'
        not in client.get(url(last)).content.decode().split("record-pager")[-1]
    )
    # The file lists only the public items.
    assert child_codes(client.get(url(archive.file))) == [
        "J0001-001-0001-0001",
        "J0001-001-0001-0004",
        "J0001-001-0001-0007",
    ]


# The gate: 404 and 410 -----------------------------------------------------------


def withdraw(record, reason=""):
    record = Record.objects.get(pk=record.pk)
    record.withdrawn = True
    record.withdrawal_reason = reason
    record.save()
    return record


@pytest.mark.django_db
def test_records_that_are_not_public_answer_404_and_withdrawn_ones_410(
    client, catalogue, archive
):
    closed = ItemFactory(parent=archive.file, access_status=AccessStatus.CLOSED)
    controlled = ItemFactory(parent=archive.file, access_status=AccessStatus.CONTROLLED)
    not_yet = ItemFactory(
        parent=archive.file, opening_date=TODAY + datetime.timedelta(1)
    )
    closed_file = FileFactory(parent=archive.series, access_status=AccessStatus.CLOSED)
    below_closed = ItemFactory(parent=closed_file)
    # Public, then withdrawn (itself, or a file above it): 410.
    withdrawn = ItemFactory(parent=archive.file)
    withdrawn_file = FileFactory(parent=archive.series)
    below_withdrawn = ItemFactory(parent=withdrawn_file)
    for record in (withdrawn, withdrawn_file, below_withdrawn):
        assert client.get(url(record)).status_code == 200, record
    withdraw(withdrawn, reason="涉及个人隐私")
    withdraw(withdrawn_file)
    closed_and_withdrawn = ItemFactory(
        parent=archive.file, access_status=AccessStatus.CLOSED, withdrawn=True
    )

    for record in (
        closed,
        controlled,
        not_yet,
        closed_file,
        below_closed,
        closed_and_withdrawn,
    ):
        for language in ("zh-hans", "en"):
            response = client.get(url(record, language))
            assert response.status_code == 404, record
            assert record.title not in response.content.decode()

    for record in (withdrawn, withdrawn_file, below_withdrawn):
        response = client.get(url(record))
        assert response.status_code == 410, record
        html = response.content.decode()
        assert record.title not in html and "涉及个人隐私" not in html
        assert '<meta name="robots" content="noindex">' in html

    english = client.get(url(withdrawn, "en"))
    assert english.status_code == 410
    assert (
        '<h1 class="article__title">Record withdrawn</h1>' in english.content.decode()
    )


@pytest.mark.django_db
def test_a_record_that_never_was_public_answers_404_even_below_a_withdrawn_one(
    client, catalogue, archive
):
    """410 against 404 would tell which codes exist: only a record that was
    public may say it was withdrawn."""
    withdrawn_file = withdraw(archive.file)
    added_below = ItemFactory(
        parent=withdrawn_file, reference_code="J0001-001-0001-0002", title="后来补录"
    )
    withdrawn_at_once = ItemFactory(
        parent=archive.series, reference_code="J0001-001-0002", withdrawn=True
    )
    nowhere = SimpleNamespace(
        repository=archive.repository, reference_code="J0001-001-0003"
    )

    answers = {
        record: client.get(url(record)) for record in (added_below, withdrawn_at_once)
    }
    missing = client.get(url(nowhere))
    assert missing.status_code == 404
    for record, response in answers.items():
        assert response.status_code == 404, record
        assert record.title not in response.content.decode()
    # The controls: what was public says it was withdrawn.
    assert client.get(url(archive.item)).status_code == 410
    assert client.get(url(withdrawn_file)).status_code == 410
    # Restored, the file opens again with everything below it; then
    # withdrawn again, the newcomer has been public and says so too.
    withdrawn_file.withdrawn = False
    withdrawn_file.save()
    assert client.get(url(added_below)).status_code == 200
    withdraw(withdrawn_file)
    assert client.get(url(added_below)).status_code == 410


@pytest.mark.django_db
def test_a_record_that_closes_disappears_with_its_children_and_files(
    client, catalogue, archive
):
    image = DigitalObject.objects.create(
        record=archive.item,
        kind="image",
        position=1,
        file=ContentFile(b"\x89PNG fake", name="page-1.png"),
    )
    PageText.objects.create(
        record=archive.item, page_number=1, digital_object=image, text="呈文第一页"
    )
    assert client.get(url(archive.item, suffix="files/1/")).status_code == 200

    archive.series.access_status = AccessStatus.CLOSED
    archive.series.save()

    for path in (
        url(archive.series),
        url(archive.item),
        url(archive.item, suffix="files/1/"),
        url(archive.item, suffix="pages/1.txt"),
        url(archive.item, suffix="text.txt"),
    ):
        assert client.get(path).status_code == 404, path
    fonds = client.get(url(archive.fonds))
    assert record_links(fonds) == set()
    assert "文书档案" not in fonds.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_generated_trees_never_show_a_record_that_is_not_public(
    client, catalogue, seed
):
    _rng, records = generate_tree(seed, size=90)
    public = {
        r.reference_code for r in Record.objects.filter(pk__in=expected_public(TODAY))
    }
    assert public and len(public) < len(records)

    front = client.get("/zh-hans/catalogue/")
    assert record_links(front) <= public

    for record in records:
        response = client.get(url(record))
        if record.reference_code in public:
            assert response.status_code == 200, record
            linked = record_links(response)
            assert linked <= public, (record, linked - public)
        else:
            assert response.status_code in (404, 410), record


# Digital objects: the viewer and its files ----------------------------------------


@pytest.fixture
def digitised(archive):
    item = archive.item
    images = []
    for n in (1, 2, 3):
        image = DigitalObject.objects.create(
            record=item,
            kind="image",
            position=n,
            file=ContentFile(b"\x89PNG\r\n\x1a\n" + bytes(n), name=f"page-{n}.png"),
        )
        images.append(image)
        PageText.objects.create(
            record=item, page_number=n, digital_object=image, text=f"第{n}页的识别文字"
        )
    pdf = DigitalObject.objects.create(
        record=item,
        kind="pdf",
        position=4,
        label="全文 PDF",
        file=ContentFile(b"%PDF-1.4 fake", name="whole.pdf"),
    )
    return SimpleNamespace(item=item, images=images, pdf=pdf)


@pytest.mark.django_db
def test_page_images_come_as_plain_images_with_their_text_a_link_away(
    client, catalogue, digitised
):
    html = client.get(url(digitised.item)).content.decode()

    assert html.count('class="viewer__image"') == 3
    for n in range(1, len(digitised.images) + 1):
        assert f'id="page={n}"' in html
        # By its place among the record's files, never by its database id.
        assert f'src="/zh-hans/catalogue/120101/J0001-001-0001-0001/files/{n}/"' in html
        assert (
            f'data-text-url="/zh-hans/catalogue/120101/J0001-001-0001-0001/pages/{n}.txt"'
            in html
        )
    # Only the first image loads at once; the viewer script only where needed.
    assert html.count('loading="lazy"') == 2
    assert re.search(r'<script src="/static/js/viewer[.\w]*\.js" defer>', html)
    assert "全文 PDF" in html
    assert 'href="#viewer"' in html


@pytest.mark.django_db
def test_a_record_without_images_does_not_load_the_viewer(client, catalogue, archive):
    html = client.get(url(archive.item)).content.decode()
    assert "viewer.js" not in html
    assert 'class="viewer"' not in html


@pytest.mark.django_db
def test_files_and_texts_are_served_through_the_gate(client, catalogue, digitised):
    image = digitised.images[1]
    response = client.get(url(digitised.item, suffix="files/2/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-cache"
    assert b"".join(response.streaming_content) == image.file.open().read()

    pdf = client.get(url(digitised.item, suffix="files/4/"))
    assert pdf["Content-Type"] == "application/pdf"

    text = client.get(url(digitised.item, suffix="pages/2.txt"))
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text.content.decode() == "第2页的识别文字"

    whole = client.get(url(digitised.item, suffix="text.txt"))
    body = b"".join(whole.streaming_content).decode()
    assert "第1页的识别文字" in body and "\f" in body and "第3页的识别文字" in body

    # Another record's file is not reachable through this record, by its
    # place or by its id (the old objects/<id>/ URLs are gone).
    other = DigitalObject.objects.create(
        record=digitised.item.parent,
        kind="image",
        file=ContentFile(b"x", name="other.png"),
    )
    assert client.get(url(other.record, suffix="files/1/")).status_code == 200
    assert client.get(url(digitised.item, suffix="files/5/")).status_code == 404
    for item in (image, other):
        assert (
            client.get(url(item.record, suffix=f"objects/{item.pk}/")).status_code
            == 404
        )
    assert client.get(url(digitised.item, suffix="pages/9.txt")).status_code == 404


@pytest.mark.django_db
def test_an_uploaded_web_page_is_only_ever_downloaded(client, catalogue, archive):
    page = DigitalObject.objects.create(
        record=archive.item,
        kind="image",
        file=ContentFile(b"<script>alert(1)</script>", name="evil.html"),
    )
    assert page.record == archive.item
    response = client.get(url(archive.item, suffix="files/1/"))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
