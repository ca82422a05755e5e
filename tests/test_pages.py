from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from catalogue.pages import CatalogueIndexPage
from exhibitions.models import (
    ChronicleIndexPage,
    ExhibitionIndexPage,
    ThematicCollectionIndexPage,
)
from home.models import HomePage, StandardPage
from tests.factories import StandardPageFactory, site_with_home


def edit_form(page):
    """What an editor's browser posts for a page with a heading and a paragraph."""
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "introduction": page.introduction,
            # The home page's featured pages (a standard page ignores it).
            "features": inline_formset([]),
            "body": streamfield(
                [
                    ("heading", {"heading_text": "馆藏一览", "size": "h2"}),
                    ("paragraph", rich_text("<p>本馆现有馆藏档案612个全宗。</p>")),
                ]
            ),
        }
    )


class TestHomePage(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        _site, cls.home = site_with_home()

    def test_can_be_created_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_holds_standard_pages_and_the_catalogue(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {StandardPage, CatalogueIndexPage}
            | {ExhibitionIndexPage, ThematicCollectionIndexPage, ChronicleIndexPage},
        )

    def test_renders_and_previews(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsPreviewable(self.home, post_data=edit_form(self.home))


class TestStandardPage(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        _site, home = site_with_home()
        cls.page = StandardPageFactory(
            parent=home,
            title="阅览室须知",
            body=[
                ("heading", {"heading_text": "开放时间", "size": "h2"}),
                ("paragraph", "<p>周一至周五 9:00–17:00</p>"),
                ("quote", {"text": "档案是历史的真实记录。", "attribution": "馆训"}),
            ],
        )

    def test_lives_under_the_home_page_or_another_standard_page(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanNotCreateAt(Page, StandardPage)

    def test_renders_and_previews(self):
        self.assertPageIsRenderable(self.page)
        self.assertPageIsPreviewable(self.page, post_data=edit_form(self.page))

    def test_renders_its_body_blocks(self):
        response = self.client.get(self.page.url)
        self.assertContains(response, "<h2>开放时间</h2>", html=True)
        self.assertContains(response, "周一至周五 9:00–17:00")
        self.assertContains(response, "<blockquote>")
