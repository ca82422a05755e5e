import re

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index

from . import credits, sections
from .blocks import BodyStreamBlock


class User(AbstractUser):
    """The portal's own user model, so fields can be added without a rewrite."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class ArchiveImage(AbstractImage):
    """An image in the media library; archives must say where each comes from."""

    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Source of the image (来源), e.g. a reference code or lender."),
    )
    credit_en = models.CharField(
        _("credit in English"),
        max_length=255,
        blank=True,
        help_text=_("Shown on English pages; the credit above when left empty."),
    )
    credit_kind = models.CharField(
        _("the credit is for"),
        max_length=20,
        choices=credits.CREDIT_KINDS,
        default="source",
        help_text=_("Labels the credit line 来源 (source) or 示意图 (illustration)."),
    )
    rights_statement = models.CharField(
        _("rights statement"),
        max_length=255,
        blank=True,
        help_text=_("Copyright and conditions of reuse."),
    )
    rights_statement_en = models.CharField(
        _("rights statement in English"),
        max_length=255,
        blank=True,
        help_text=_("Shown on English pages; the statement above when left empty."),
    )

    admin_form_fields = Image.admin_form_fields + (
        "credit",
        "credit_en",
        "credit_kind",
        "rights_statement",
        "rights_statement_en",
    )

    # Images are not translated pages: each wording has its English twin,
    # chosen by the language of the page showing the image.
    @property
    def credit_here(self):
        return credits.in_page_language(self.credit, self.credit_en)

    @property
    def credit_label(self):
        return credits.credit_label(self.credit_kind)

    @property
    def rights_here(self):
        return credits.in_page_language(self.rights_statement, self.rights_statement_en)

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


def image_field(verbose_name, help_text=""):
    """An optional picture from the image library. Deleting the image leaves
    the page without it rather than deleting the page, and images keep no
    reverse accessor per page type."""
    return models.ForeignKey(
        ArchiveImage,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


class ArchiveRendition(AbstractRendition):
    image = models.ForeignKey(
        ArchiveImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def in_active_language(chinese, english):
    """English text on English pages when there is some, else the Chinese."""
    if translation.get_language() == "en" and english:
        return english
    return chinese


@register_setting(icon="home")
class ArchiveSettings(BaseSiteSetting):
    """Who runs the portal: shown in the header and footer of every page."""

    archive_name = models.CharField(_("archive name"), max_length=100)
    archive_name_en = models.CharField(
        _("archive name in English"), max_length=200, blank=True
    )
    logo = image_field(_("logo"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_en = models.CharField(_("address in English"), max_length=255, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    opening_hours_en = models.CharField(
        _("opening hours in English"), max_length=255, blank=True
    )
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    icp_licence = models.CharField(
        _("ICP licence number"),
        max_length=100,
        blank=True,
        help_text=_("The website's ICP filing number (备案号), shown in the footer."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("archive_name"), FieldPanel("archive_name_en")]
                ),
                FieldPanel("logo"),
            ],
            heading=_("Archive"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("address"), FieldPanel("address_en")]),
                FieldRowPanel(
                    [FieldPanel("opening_hours"), FieldPanel("opening_hours_en")]
                ),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("icp_licence"),
            ],
            heading=_("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("archive settings")

    @property
    def name(self):
        return in_active_language(self.archive_name, self.archive_name_en)

    @property
    def localized_address(self):
        return in_active_language(self.address, self.address_en)

    @property
    def localized_opening_hours(self):
        return in_active_language(self.opening_hours, self.opening_hours_en)


class Menu(TranslatableMixin, ClusterableModel):
    """An editable list of links: the main navigation, or the footer links.

    Menus are translated like pages, so each language has its own labels; links
    to pages follow the visitor's language.
    """

    class Purpose(models.TextChoices):
        MAIN = "main", _("Main navigation")
        FOOTER = "footer", _("Footer links")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)

    panels = [FieldPanel("purpose"), InlinePanel("items", label=_("Links"))]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        unique_together = [("translation_key", "locale"), ("purpose", "locale")]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.locale})"

    @classmethod
    def for_active_locale(cls, purpose):
        """The menu in the visitor's language, else the default language's."""
        menus = cls.objects.filter(purpose=purpose).select_related("locale")
        menu = menus.filter(locale=Locale.get_active()).first()
        return menu or menus.filter(locale=Locale.get_default()).first()


class MenuItem(Orderable):
    menu = ParentalKey(Menu, on_delete=models.CASCADE, related_name="items")
    link_page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.CharField(
        _("URL"),
        max_length=500,
        blank=True,
        help_text=_("A path on this site (/zh-hans/…) or a full address."),
    )
    label = models.CharField(
        pgettext_lazy("text shown for it", "label"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to use the page's title."),
    )

    panels = [
        PageChooserPanel("link_page"),
        FieldPanel("link_url"),
        FieldPanel("label"),
    ]

    def clean(self):
        super().clean()
        if bool(self.link_page) == bool(self.link_url):
            raise ValidationError(_("Choose a page or give a URL, not both."))
        if self.link_url and not self.label:
            raise ValidationError({"label": _("A link to a URL needs a label.")})

    @property
    def page(self):
        """The linked page in the visitor's language when it is translated."""
        return self.link_page.localized if self.link_page_id else None

    @property
    def text(self):
        if self.label:
            return self.label
        return self.page.title if self.page else self.link_url

    @property
    def url(self):
        page = self.page
        return page.url if page else self.link_url


class BasePage(Page):
    """What every content page of the portal has: a short introduction."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=600,
        help_text=_("One or two sentences shown under the title and in listings."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    class Meta:
        abstract = True


class HomePage(BasePage):
    hero_image = image_field(_("hero image"))
    search_examples = models.CharField(
        _("example searches"),
        max_length=200,
        blank=True,
        help_text=_(
            "A few searches to try, shown under the search box, separated by "
            "commas or 、 (码头, 1956, 海关税务)."
        ),
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = BasePage.content_panels + [
        FieldPanel("hero_image"),
        FieldPanel("search_examples"),
        FieldPanel("body"),
        InlinePanel(
            "features",
            heading=_("Featured"),
            label=_("Featured page"),
            help_text=_(
                "Exhibitions, thematic collections and chronicle events to show "
                "first, in this order. Where none is chosen the newest are shown."
            ),
        ),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    # Named, not imported: home depends on no other app of ours.
    subpage_types = [
        "home.StandardPage",
        "catalogue.CatalogueIndexPage",
        "exhibitions.ExhibitionIndexPage",
        "exhibitions.ThematicCollectionIndexPage",
        "exhibitions.ChronicleIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured"] = self.featured_sections()
        context["figures"] = sections.figures(request)
        context["home_sections"] = sections.sections(request)
        context["search_examples"] = self.example_searches()
        return context

    def example_searches(self):
        return [
            words
            for part in re.split(r"[,，、;；]", self.search_examples)
            if (words := part.strip())
        ][:6]

    def featured_sections(self):
        """What the home page features, by kind: the editors' choice, in their
        order, else the newest pages of that kind, in the visitor's language."""
        features = list(self.features.select_related("feature"))
        default = Locale.get_default()
        if not features and self.locale_id != default.pk:
            # A translation keeps the editors' choice of the default language.
            source = self.get_translation_or_none(default)
            if source is not None:
                features = list(source.specific.features.select_related("feature"))
        chosen = [feature.feature.localized for feature in features]
        shown = []
        for key, (model_label, count) in FEATURED_KINDS.items():
            content_type = _content_type(model_label)
            if content_type is None:
                continue
            pages = [
                page
                for page in chosen
                if page.live and page.content_type_id == content_type.pk
            ][:count]
            if not pages and key in NEWEST_FILL:
                pages = list(
                    Page.objects.live()
                    .public()
                    .filter(content_type=content_type, locale=Locale.get_active())
                    .order_by("-first_published_at", "-pk")[:count]
                )
            pages = [page.specific for page in pages]
            if pages:
                shown.append({"kind": key, "pages": pages})
        return shown


# What the home page features, newest first unless editors choose: named by
# app label, never imported (home depends on no other app of ours).
FEATURED_KINDS = {
    "exhibitions": ("exhibitions.exhibitionpage", 3),
    "collections": ("exhibitions.thematiccollectionpage", 3),
    # Chronicle events only when editors choose them: otherwise the home page
    # has 历史上的今天 (exhibitions/home.py).
    "chronicle": ("exhibitions.chronicleeventpage", 4),
}
NEWEST_FILL = {"exhibitions", "collections"}


def _content_type(model_label):
    app_label, model = model_label.split(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


class HomePageFeature(Orderable):
    """A page the home page features, chosen by an editor."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="features")
    feature = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [
        PageChooserPanel(
            "feature",
            page_type=[
                "exhibitions.ExhibitionPage",
                "exhibitions.ThematicCollectionPage",
                "exhibitions.ChronicleEventPage",
            ],
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("featured page")
        verbose_name_plural = _("featured pages")


class StandardPage(BasePage):
    """An ordinary page of text: about the archive, visiting, services."""

    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().specific()
        return context
