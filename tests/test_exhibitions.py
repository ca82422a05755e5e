"""Online exhibitions: page types, listing and filters, chapters, credits, blocks,
the record gate, untranslated pages, scheduled publishing and moderation."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image as PILImage
from wagtail.models import Page, Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from catalogue.pages import CatalogueIndexPage
from exhibitions.blocks import ExhibitionStreamBlock
from exhibitions.models import (
    ChronicleIndexPage,
    ExhibitionChapterPage,
    ExhibitionIndexPage,
    ExhibitionPage,
    ThematicCollectionIndexPage,
)
from home.models import HomePage, StandardPage
from tests.exhibitions_support import build_curated, make_image
from tests.factories import (
    ExhibitionChapterPageFactory,
    ExhibitionIndexPageFactory,
    ExhibitionPageFactory,
    ItemFactory,
    ThemeFactory,
    UserFactory,
    site_with_home,
)

TODAY = timezone.localdate()


@pytest.fixture
def curated(bilingual_site):
    return build_curated(bilingual_site)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def record_block(record, note=""):
    return ("record", {"record": record.pk, "note": note})


# Page types ----------


class TestExhibitionPageTypes(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        _site, cls.home = site_with_home()
        cls.index = ExhibitionIndexPageFactory(parent=cls.home)
        cls.exhibition = ExhibitionPageFactory(
            parent=cls.index,
            body=[("paragraph", "<p>滨江因港而兴。</p>")],
            credits="<p>策展：编研处</p>",
        )
        cls.chapter = ExhibitionChapterPageFactory(
            parent=cls.exhibition, body=[("paragraph", "<p>开埠。</p>")]
        )

    def test_the_home_page_holds_the_three_indexes(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                StandardPage,
                CatalogueIndexPage,
                ExhibitionIndexPage,
                ThematicCollectionIndexPage,
                ChronicleIndexPage,
            },
        )

    def test_exhibitions_live_in_the_hall_and_chapters_in_exhibitions(self):
        self.assertAllowedParentPageTypes(ExhibitionIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ExhibitionIndexPage, {ExhibitionPage})
        self.assertAllowedParentPageTypes(ExhibitionPage, {ExhibitionIndexPage})
        self.assertAllowedSubpageTypes(ExhibitionPage, {ExhibitionChapterPage})
        self.assertAllowedSubpageTypes(ExhibitionChapterPage, set())
        self.assertCanNotCreateAt(Page, ExhibitionIndexPage)
        self.assertCanNotCreateAt(StandardPage, ExhibitionPage)

    def test_one_hall_per_home_page(self):
        self.assertFalse(ExhibitionIndexPage.can_create_at(self.home))

    def test_render_and_preview(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.exhibition)
        self.assertPageIsRenderable(self.chapter)
        self.assertPageIsRenderable(self.exhibition, route_path="/credits/")
        self.assertPageIsPreviewable(
            self.exhibition,
            post_data=nested_form_data(
                {
                    "title": "江海通衢",
                    "slug": self.exhibition.slug,
                    "introduction": "",
                    "start_date": "2026-05-18",
                    "end_date": "",
                    "curator": "",
                    "body": streamfield(
                        [("paragraph", rich_text("<p>预览里的正文。</p>"))]
                    ),
                    "credits": rich_text(""),
                }
            ),
        )

    def test_an_exhibition_cannot_close_before_it_opens(self):
        page = ExhibitionPage(
            title="倒置",
            slug="upside-down",
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
        )
        with pytest.raises(ValidationError) as caught:
            page.full_clean()
        # Read in English, whatever language the site defaults to.
        with translation.override("en"):
            assert caught.value.message_dict["end_date"] == [
                "The exhibition closes before it opens."
            ]


# The exhibition hall ----------


@pytest.fixture
def hall(curated):
    harbour = ThemeFactory(name="港口与航运", slug="harbour")
    industry = ThemeFactory(name="工商业", slug="industry")
    index = curated.exhibitions
    pages = {
        "current": ExhibitionPageFactory(
            parent=index,
            title="江海通衢",
            start_date=days(-30),
            end_date=days(30),
            theme=harbour,
        ),
        "permanent": ExhibitionPageFactory(
            parent=index,
            title="城市记忆",
            start_date=datetime.date(2016, 10, 1),
        ),
        "upcoming": ExhibitionPageFactory(
            parent=index,
            title="百年商会",
            start_date=days(60),
            end_date=days(200),
            theme=industry,
        ),
        "past": ExhibitionPageFactory(
            parent=index,
            title="机杼声声",
            start_date=datetime.date(2025, 3, 1),
            end_date=datetime.date(2025, 12, 31),
            theme=industry,
        ),
    }
    return curated, pages


def titles_in(html, heading_id):
    section = html.split(f'id="status-{heading_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="card__link" href="[^"]+"[^>]*>([^<]+)<', section)


def test_the_hall_groups_current_upcoming_and_past(client, hall):
    curated, _pages = hall
    html = client.get(curated.exhibitions.url).content.decode()
    assert set(titles_in(html, "current")) == {"江海通衢", "城市记忆"}
    assert titles_in(html, "upcoming") == ["百年商会"]
    assert titles_in(html, "past") == ["机杼声声"]
    assert html.index('id="status-current"') < html.index('id="status-upcoming"')


def test_the_hall_filters_by_theme_and_year(client, hall):
    curated, _pages = hall
    url = curated.exhibitions.url
    html = client.get(url, {"theme": "industry"}).content.decode()
    assert "百年商会" in html and "机杼声声" in html and "江海通衢" not in html
    html = client.get(url, {"year": "2025"}).content.decode()
    assert "机杼声声" in html and "百年商会" not in html
    assert "城市记忆" in html  # permanent since 2016: open in 2025 too
    html = client.get(url, {"theme": "industry", "year": "2025"}).content.decode()
    assert "机杼声声" in html and "城市记忆" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"theme": "<script>"},
        {"page": "-3"},
        {"page": "x"},
        {"page": "9999"},
    ],
)
def test_bad_filters_get_a_message_never_an_error(client, hall, params):
    curated, _pages = hall
    response = client.get(curated.exhibitions.url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "江海通衢" in html  # falls back to everything
    assert "<script>" not in html.split("<main", 1)[1]


def test_the_hall_is_paged(client, curated):
    for n in range(14):
        ExhibitionPageFactory(
            parent=curated.exhibitions, title=f"展览{n:02d}", start_date=days(-n - 1)
        )
    first = client.get(curated.exhibitions.url).content.decode()
    second = client.get(curated.exhibitions.url, {"page": 2}).content.decode()
    assert first.count('class="card card--exhibition"') == 12
    assert second.count('class="card card--exhibition"') == 2
    # The current page is a link marked aria-current, its number read as
    # "Page 2" (components/pagination.html).
    assert re.search(
        r'aria-current="page"><span class="visually-hidden">[^<]+</span>2<', second
    )


# An exhibition and its chapters ----------


@pytest.fixture
def exhibition(curated):
    hero = make_image(
        "海关钟楼",
        credit="J0001-001",
        rights_statement="仅供学习研究使用",
        focal_point_x=1200,
        focal_point_y=200,
        focal_point_width=100,
        focal_point_height=100,
    )
    page = ExhibitionPageFactory(
        parent=curated.exhibitions,
        title="江海通衢：滨江港百年",
        slug="harbour",
        hero_image=hero,
        start_date=datetime.date(2026, 5, 18),
        end_date=datetime.date(2027, 5, 17),
        curator="编研处",
        credits="<p>策展：编研处；图片：数字化部</p>",
    )
    chapters = [
        ExhibitionChapterPageFactory(parent=page, title=title, slug=slug)
        for title, slug in [("开埠与海关", "opening"), ("码头与航运", "wharves")]
    ]
    return page, chapters


def test_the_landing_page_has_hero_dates_curator_and_chapters(client, exhibition):
    page, chapters = exhibition
    html = client.get(page.url).content.decode()
    assert '<h1 class="exhibition__title">江海通衢：滨江港百年</h1>' in html
    assert '<time datetime="2026-05-18">2026年5月18日</time>' in html
    assert '<time datetime="2027-05-17">2027年5月17日</time>' in html
    assert "编研处" in html
    hero = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert 'type="image/avif"' in hero and 'type="image/webp"' in hero
    img = re.search(r"<img[^>]+>", hero).group(0)
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert "srcset=" in hero and 'loading="lazy"' not in hero
    assert "来源" not in hero and "J0001-001" in html  # the credit, beside the image
    for chapter in chapters:
        assert f'href="{chapter.url}"' in html
    assert f'href="{page.url}credits/"' in html


def test_hero_crops_keep_the_focal_point(curated):
    """A square crop of a wide picture whose focal point is on its red right half
    is red: Wagtail's fill- renditions crop around the focal point."""
    image = make_image(
        "左蓝右红",
        painter=lambda draw: draw.rectangle((800, 0, 1599, 899), fill="#c00000"),
    )
    image.set_focal_point(None)
    image.focal_point_x, image.focal_point_y = 1400, 450
    image.focal_point_width = image.focal_point_height = 100
    image.save()
    rendition = image.get_rendition("fill-300x300")
    with rendition.file.open() as handle:
        picture = PILImage.open(handle).convert("RGB")
        red, _green, blue = picture.getpixel((150, 150))
    assert red > 150 and blue < 100


def test_a_chapter_leads_on_to_the_next_and_back(client, exhibition):
    page, (first, second) = exhibition
    response = client.get(first.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "· 第 1 章，共 2 章</p>" in html
    assert 'rel="prev"' not in html
    assert f'<a href="{second.url}" rel="next">' in html
    assert f'href="{page.url}"' in html  # the way back
    last = client.get(second.url).content.decode()
    assert "· 第 2 章，共 2 章</p>" in last
    assert f'<a href="{first.url}" rel="prev">' in last
    assert 'rel="next"' not in last
    assert f'<a href="{page.url}"><span class="chapter-pager__label">' in last
    assert 'aria-current="page">码头与航运<' in last  # in the chapter list


def test_credits_have_their_own_page_and_none_without_credits(client, exhibition):
    page, _chapters = exhibition
    response = client.get(page.url + "credits/")
    assert response.status_code == 200
    assert "图片：数字化部" in response.content.decode()
    page.credits = ""
    page.save_revision().publish()
    assert client.get(page.url + "credits/").status_code == 404


# Blocks and the gate ----------


def chapter_with(site, *blocks):
    exhibition = ExhibitionPageFactory(parent=site.exhibitions, slug="gate")
    return ExhibitionChapterPageFactory(
        parent=exhibition,
        slug="blocks",
        body=[{"type": kind, "value": value} for kind, value in blocks],
    )


def test_a_record_block_shows_the_record_live(client, curated):
    record = curated.open_item
    chapter = chapter_with(curated, record_block(record, "码头扩建的缘起。"))
    html = client.get(chapter.url).content.decode()
    assert "关于码头扩建工程的呈文" in html
    assert record.reference_code in html
    assert (
        f'href="/zh-hans/catalogue/{record.repository.code}/{record.reference_code}/"'
        in html
    )
    assert "码头扩建的缘起。" in html
    # Renamed in the catalogue: the page follows, nothing to republish.
    record.title = "关于码头扩建工程的呈文（修订）"
    record.save()
    assert "（修订）" in client.get(chapter.url).content.decode()


@pytest.mark.parametrize("change", ["closed", "withdrawn", "opens_later"])
def test_a_record_that_stops_being_public_leaves_the_page(client, curated, change):
    record = curated.open_item
    chapter = chapter_with(
        curated,
        record_block(record),
        (
            "record_group",
            {"heading": "相关档案", "records": [record.pk, curated.second_item.pk]},
        ),
    )
    assert client.get(chapter.url).content.decode().count('class="record-card"') == 3
    if change == "closed":
        record.access_status = "closed"
    elif change == "withdrawn":
        record.withdrawn = True
    else:
        record.opening_date = TODAY + datetime.timedelta(days=365)
    record.save()
    html = client.get(chapter.url).content.decode()
    assert html.count('class="record-card"') == 1
    assert record.reference_code not in html
    assert "关于码头扩建工程的呈文" not in html
    assert curated.second_item.reference_code in html  # the group keeps the others
    assert "editor-warning" not in html


def test_a_record_of_a_closed_file_never_shows(client, curated):
    closed_file_item = ItemFactory(parent=curated.closed_item.parent, title="卷内的件")
    closed_file_item.parent.access_status = "closed"
    closed_file_item.parent.save()
    chapter = chapter_with(curated, record_block(closed_file_item))
    assert "卷内的件" not in client.get(chapter.url).content.decode()


def test_editors_see_a_warning_where_the_public_sees_nothing(client, curated):
    chapter = chapter_with(
        curated,
        record_block(curated.closed_item),
        ("record_group", {"heading": "", "records": [curated.withdrawn_item.pk]}),
    )
    public = client.get(chapter.url).content.decode()
    assert curated.closed_item.reference_code not in public
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    html = client.get(chapter.url).content.decode()
    assert html.count('class="editor-warning"') == 2
    assert curated.closed_item.reference_code in html
    assert "未开放的内部报告" not in html  # the warning names the code, not the title


def test_the_preview_warns_about_records_that_are_not_public(
    client, curated, admin_user
):
    chapter = chapter_with(curated, record_block(curated.closed_item))
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[chapter.pk])
    data = nested_form_data(
        {
            "title": chapter.title,
            "slug": chapter.slug,
            "introduction": "",
            "body": streamfield(
                [("record", {"record": curated.closed_item.pk, "note": ""})]
            ),
        }
    )
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert "editor-warning" in html and curated.closed_item.reference_code in html


def test_every_block_type_renders_with_media(client, curated):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    image = make_image("码头旧影", credit="J0001-002")
    audio = Document.objects.create(
        title="汽笛", file=ContentFile(b"RIFF", name="horn.wav")
    )
    video = Document.objects.create(
        title="影片", file=ContentFile(b"\x1aE", name="film.webm")
    )
    pdf = Document.objects.create(
        title="图录", file=ContentFile(b"%PDF-1.4", name="c.pdf")
    )
    chapter = chapter_with(
        curated,
        ("heading", {"heading_text": "码头", "size": "h2"}),
        ("paragraph", "<p>正文</p>"),
        (
            "image",
            {
                "image": image.pk,
                "alt_text": "码头上的工人",
                "caption": "搬运",
                "credit": "",
                "rights_statement": "",
                "full_width": True,
            },
        ),
        (
            "gallery",
            {
                "heading": "旧影",
                "images": [
                    {
                        "image": image.pk,
                        "alt_text": "第一张",
                        "caption": "一",
                        "credit": "",
                    },
                    {
                        "image": image.pk,
                        "alt_text": "第二张",
                        "caption": "二",
                        "credit": "",
                    },
                ],
            },
        ),
        ("quote", {"text": "凡船只进口", "attribution": "章程"}),
        (
            "audio",
            {
                "title": "汽笛与钟声",
                "audio": audio.pk,
                "transcript": "<p>长鸣</p>",
                "credit": "",
            },
        ),
        (
            "video",
            {
                "title": "黄昏",
                "video": video.pk,
                "poster": image.pk,
                "captions": None,
                "transcript": "",
                "credit": "",
            },
        ),
        record_block(curated.open_item),
        (
            "record_group",
            {
                "heading": "档案",
                "introduction": "",
                "records": [curated.second_item.pk],
            },
        ),
        (
            "timeline",
            {
                "heading": "大事",
                "events": [
                    {
                        "date": "1902-05-01",
                        "date_label": "1902年5月",
                        "title": "码头建成",
                        "text": "",
                    }
                ],
            },
        ),
        ("document", {"document": pdf.pk, "title": "", "description": "图录"}),
    )
    html = client.get(chapter.url).content.decode()
    assert 'alt="码头上的工人"' in html and "figure--full" in html
    assert "J0001-002" in html  # the image's own credit when the block has none
    assert html.count('class="gallery__link"') == 2  # plain links without JavaScript
    assert "js/lightbox" in html
    assert '<audio controls preload="none">' in html and 'type="audio/wav"' in html
    assert "<video controls" in html and "autoplay" not in html
    assert 'type="video/webm"' in html and "poster=" in html
    assert '<time datetime="1902-05-01">1902年5月</time>' in html
    assert 'href="/documents/' in html and "(PDF" in html
    assert "凡船只进口" in html and "长鸣" in html


def test_every_block_has_an_icon_a_description_and_a_preview():
    stream = ExhibitionStreamBlock()
    for name, block in stream.child_blocks.items():
        assert block.meta.icon, name
        assert block.get_description(), name
        assert block.is_previewable, name


def test_block_previews_render_in_the_admin(client, admin_user, curated):
    make_image("预览图")
    client.force_login(admin_user)
    stream = ExhibitionPage._meta.get_field("body").stream_block
    for name, block in stream.child_blocks.items():
        response = client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        )
        assert response.status_code == 200, name
        assert "css/exhibitions" in response.content.decode(), name


def test_media_blocks_refuse_files_they_cannot_play(db):
    from django.core.files.base import ContentFile
    from wagtail.blocks import StructBlockValidationError
    from wagtail.documents.models import Document

    from exhibitions.blocks import AudioBlock

    pdf = Document(title="图录", file=ContentFile(b"%PDF", name="c.pdf"))
    pdf.save()
    with pytest.raises(StructBlockValidationError):
        AudioBlock().clean(AudioBlock().to_python({"title": "录音", "audio": pdf.pk}))


# Untranslated pages ----------


def test_an_untranslated_exhibition_is_served_in_english_with_a_notice(
    client, exhibition
):
    page, (first, _second) = exhibition
    response = client.get("/en/exhibitions/harbour/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "has not been translated into English" in html
    assert '<article class="exhibition" lang="zh-Hans">' in html
    assert '<html lang="en">' in html
    assert f'<link rel="canonical" href="http://localhost{page.url}">' in html
    # Links stay under /en/, chapters too.
    assert 'href="/en/exhibitions/harbour/opening/"' in html
    chapter = client.get("/en/exhibitions/harbour/opening/")
    assert chapter.status_code == 200
    assert "has not been translated" in chapter.content.decode()
    # The English hall lists it, marked as Chinese only.
    listing = client.get("/en/exhibitions/").content.decode()
    assert 'href="/en/exhibitions/harbour/"' in listing
    assert "In Chinese only" in listing


def test_the_language_switch_of_an_untranslated_page_keeps_the_visitor_there(
    client, exhibition
):
    page, _chapters = exhibition
    html = client.get(page.url).content.decode()
    assert 'href="/en/exhibitions/harbour/" hreflang="en"' in html
    assert "has not been translated" not in html


def test_a_translated_exhibition_needs_no_notice(client, curated, exhibition):
    page, _chapters = exhibition
    curated.site.translate(page, title="Where River Meets Sea", slug="harbour")
    html = client.get("/en/exhibitions/harbour/").content.decode()
    assert "Where River Meets Sea" in html
    assert "has not been translated" not in html
    assert client.get("/en/exhibitions/no-such-thing/").status_code == 404


# Scheduled publishing, revisions, moderation ----------


def test_scheduled_go_live_publishes_the_exhibition_then(client, curated):
    page = ExhibitionPageFactory(parent=curated.exhibitions, slug="later", live=False)
    page.title = "定时发布的展览"
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert client.get("/zh-hans/exhibitions/later/").status_code == 404
    assert "定时发布的展览" not in client.get(curated.exhibitions.url).content.decode()
    from django.core.management import call_command

    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + datetime.timedelta(hours=2)
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get("/zh-hans/exhibitions/later/").status_code == 200


def test_scheduled_expiry_takes_the_exhibition_down(client, curated):
    page = ExhibitionPageFactory(parent=curated.exhibitions, slug="expiring")
    page.expire_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()
    assert client.get(page.url).status_code == 200
    from django.core.management import call_command

    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + datetime.timedelta(hours=2)
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live


def test_a_revision_can_be_compared_and_reverted(client, admin_user, exhibition):
    page, _chapters = exhibition
    first = page.save_revision()
    first.publish()
    page.title = "改过的标题"
    page.save_revision().publish()
    client.force_login(admin_user)
    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[page.pk, first.pk, page.latest_revision.pk],
    )
    response = client.get(compare)
    assert response.status_code == 200 and "改过的标题" in response.content.decode()
    first.as_object().save_revision().publish()
    page.refresh_from_db()
    assert page.title == "江海通衢：滨江港百年"


def test_an_editor_submits_and_a_moderator_approves(client, curated):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    assert Workflow.objects.filter(active=True).exists()  # Wagtail's default
    client.force_login(editor)
    add = reverse(
        "wagtailadmin_pages:add",
        args=["exhibitions", "exhibitionpage", curated.exhibitions.pk],
    )
    data = nested_form_data(
        {
            "title": "送审的展览",
            "slug": "submitted",
            "introduction": "",
            "start_date": "2026-12-01",
            "end_date": "",
            "curator": "",
            "body": streamfield(
                [("record", {"record": curated.open_item.pk, "note": "送审"})]
            ),
            "credits": rich_text(""),
            "action-submit": "Submit",
        }
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ExhibitionPage.objects.get(slug="submitted")
    assert not page.live
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert client.get("/zh-hans/exhibitions/submitted/").status_code == 404

    client.force_login(moderator)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", task_state.pk],
    )
    response = client.post(approve, {"comment": ""})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    html = client.get("/zh-hans/exhibitions/submitted/").content.decode()
    assert curated.open_item.reference_code in html


def test_a_record_cards_thumbnail_is_its_first_page_image_and_answers(client, curated):
    from django.core.files.base import ContentFile

    from catalogue.models import DigitalObject
    from tests.leak_dataset import PNG

    record = curated.open_item
    # A PDF before the first page image: the thumbnail is the record's second
    # file (files/2/), counted among all its files as the catalogue counts.
    DigitalObject.objects.create(
        record=record, kind="pdf", position=0, file=ContentFile(b"%PDF-1.4", "a.pdf")
    )
    DigitalObject.objects.create(
        record=record, kind="image", position=1, file=ContentFile(PNG, "p1.png")
    )
    chapter = chapter_with(curated, record_block(record, "码头扩建的缘起。"))
    html = client.get(chapter.url).content.decode()
    found = re.search(r'class="record-card__thumbnail" src="([^"]+)"', html)
    assert found, "the card has no thumbnail"
    assert found.group(1).endswith(f"/{record.reference_code}/files/2/")
    response = client.get(found.group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
