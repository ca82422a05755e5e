"""Online exhibitions (在线展厅), thematic collections (专题荟萃), chronicle (大事记).

All three cite catalogue records, so they live here and not in `home`: the
import arrows run exhibitions -> catalogue -> home, never back (DESIGN.md).
Records are read through `Record.objects.public()` only (see records.py).

Every page type here is an ordinary Wagtail page, so drafts, the moderation
workflow, scheduled publishing, previews, revisions and wagtail-localize work
for them without anything of our own. Chronicle events are pages too (under
the chronicle), for the same reasons.
"""

import logging
from urllib.parse import parse_qsl, quote

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index

from catalogue.models import Record
from home.models import BasePage, image_field

from . import records
from .blocks import ExhibitionStreamBlock
from .choosers import record_chooser_viewset

logger = logging.getLogger(__name__)

EXHIBITIONS_PER_PAGE = 12
COLLECTION_RECORDS_PER_PAGE = 20
COLLECTIONS_PER_PAGE = 20
CHRONICLE_EVENTS_PER_PAGE = 60


def _page_number(value):
    """A page number from the query string; anything else is page 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number > 0 else 1


# Themes -----------------------------------------------------------------------


class Theme(TranslatableMixin, models.Model):
    """A subject that groups exhibitions and collections: 城市建设, 工商业, 教育…"""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        allow_unicode=False,
        help_text=_(
            "Used in filter addresses (?theme=…); keep it the same in every language."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


# Untranslated pages ------------------------------------------------------------


class ServesUntranslatedChildren:
    """An index page that, in another language, also serves the default
    language's pages that are not translated yet.

    /en/exhibitions/harbour/ for an exhibition that exists only in Chinese is
    the Chinese page, with the English interface and a notice saying so, rather
    than a 404. The index lists such pages too, marked as Chinese only.
    """

    def default_language_version(self):
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return None
        return self.get_translation_or_none(default)

    def untranslated_children(self, model):
        source = self.default_language_version()
        if source is None:
            return model.objects.none()
        translated = Page.objects.filter(locale_id=self.locale_id).values(
            "translation_key"
        )
        return (
            model.objects.child_of(source)
            .live()
            .public()
            .exclude(translation_key__in=translated)
        )

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            source = self.default_language_version() if path_components else None
            if source is None:
                raise
            child = (
                source.get_children()
                .live()
                .filter(slug=path_components[0])
                .exclude(
                    translation_key__in=Page.objects.filter(
                        locale_id=self.locale_id
                    ).values("translation_key")
                )
                .first()
            )
            if child is None:
                raise
            request.untranslated_from = {"source": source, "index": self}
            return child.specific.route(request, path_components[1:])

    def mark_untranslated(self, pages, request):
        """Give each untranslated page the address it is served at in this language."""
        base = self.get_url(request)
        for page in pages:
            page.is_untranslated = True
            page.local_url = f"{base}{page.slug}/"
        return pages


def page_url(page, request):
    """A page's address as the visitor should follow it.

    Inside an untranslated page served under another language's index, links
    to its relatives stay under that index (see ServesUntranslatedChildren).
    """
    url = getattr(page, "local_url", None) or page.get_url(request)
    served = getattr(request, "untranslated_from", None)
    if served and url:
        source_url = served["source"].get_url(request)
        if url.startswith(source_url):
            url = served["index"].get_url(request) + url[len(source_url) :]
    return url


def _without_language_prefix(url):
    parts = url.split("/", 2) if url and url.startswith("/") else []
    return parts[2] if len(parts) == 3 else url


class TranslationNoticeMixin:
    """Pages served in a language they are not written in say so.

    A page not yet translated into a language is served there at the same
    path by its parent (ServesUntranslatedChildren), so the language switcher
    is told to link to the same path in every language.
    """

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        active = Locale.get_active()
        context["untranslated"] = self.locale_id != active.pk
        context["content_lang"] = (
            translation.to_locale(self.locale.language_code).replace("_", "-")
            if context["untranslated"]
            else ""
        )
        if context["untranslated"] or self.served_elsewhere_untranslated(request):
            context["same_path_in_every_language"] = True
        return context

    def served_elsewhere_untranslated(self, request):
        """True when a language lacks this page and its parent there serves it
        at the same path."""
        translated = set(
            self.get_translations(inclusive=True)
            .live()
            .values_list("locale_id", flat=True)
        )
        missing = Locale.objects.exclude(pk__in=translated)
        if not missing.exists():
            return False
        parent = self.get_parent()
        parent_path = _without_language_prefix(parent.get_url(request))
        for locale in missing:
            there = parent.get_translation_or_none(locale)
            if there is None or not there.live:
                return False
            if _without_language_prefix(there.get_url(request)) != parent_path:
                return False
        return True


# Exhibitions -------------------------------------------------------------------


class ExhibitionStatus(models.TextChoices):
    CURRENT = "current", _("Current exhibitions")
    UPCOMING = "upcoming", _("Coming soon")
    PAST = "past", _("Past exhibitions")


class ExhibitionIndexPage(ServesUntranslatedChildren, BasePage):
    """在线展厅: current, upcoming and past exhibitions, filtered by theme and year."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["exhibitions.ExhibitionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("exhibition hall")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        own = list(
            ExhibitionPage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image", "theme")
        )
        others = self.mark_untranslated(
            list(
                self.untranslated_children(ExhibitionPage).select_related(
                    "hero_image", "theme"
                )
            ),
            request,
        )
        exhibitions = own + others
        themes = _themes_of(exhibitions)
        messages = []
        chosen_theme = None

        slug = request.GET.get("theme", "").strip()
        if slug:
            chosen_theme = next((t for t in themes if t.slug == slug), None)
            if chosen_theme is None:
                messages.append(
                    _("There is no theme “%(theme)s”: showing all themes.")
                    % {"theme": slug[:50]}
                )
            else:
                exhibitions = [
                    e
                    for e in exhibitions
                    if e.theme
                    and e.theme.translation_key == chosen_theme.translation_key
                ]

        year = None
        raw_year = request.GET.get("year", "").strip()
        if raw_year:
            if raw_year.isdigit() and len(raw_year) == 4:
                year = int(raw_year)
                exhibitions = [e for e in exhibitions if e.is_open_in(year, today)]
            else:
                messages.append(
                    _("“%(year)s” is not a year such as 1956: showing all years.")
                    % {"year": raw_year[:20]}
                )

        order = {
            ExhibitionStatus.CURRENT: 0,
            ExhibitionStatus.UPCOMING: 1,
            ExhibitionStatus.PAST: 2,
        }
        for exhibition in exhibitions:
            exhibition.current_status = exhibition.status(today)

        def sort_key(exhibition):
            status = exhibition.current_status
            if status == ExhibitionStatus.PAST:
                # Most recently closed first.
                return (order[status], -(exhibition.end_date or today).toordinal())
            if status == ExhibitionStatus.UPCOMING:
                return (order[status], exhibition.start_date.toordinal())
            return (order[status], -exhibition.start_date.toordinal())

        exhibitions.sort(key=sort_key)
        paginator = Paginator(exhibitions, EXHIBITIONS_PER_PAGE)
        listing = paginator.get_page(_page_number(request.GET.get("page")))
        years = sorted({y for e in own + others for y in e.years(today)}, reverse=True)
        context.update(
            {
                "exhibitions": listing,
                "paginator": paginator,
                "themes": themes,
                "chosen_theme": chosen_theme,
                "years": years,
                "chosen_year": year,
                "filter_messages": messages,
                "is_filtered": bool(chosen_theme or year),
            }
        )
        return context


def _themes_of(pages):
    """The themes of these pages, in the visitor's language, each once."""
    seen = {}
    for page in pages:
        if page.theme_id and page.theme.translation_key not in seen:
            seen[page.theme.translation_key] = page.theme.localized
    return sorted(seen.values(), key=lambda theme: theme.name)


class ExhibitionPage(
    TranslationNoticeMixin, ServesUntranslatedChildren, RoutablePageMixin, BasePage
):
    """One exhibition: its landing page (hero, dates, curator, introduction,
    chapter list); chapters are its child pages; credits at credits/."""

    hero_image = image_field(
        _("hero image"),
        help_text=_(
            "Shown across the top; set its focal point in the image library so "
            "crops keep what matters."
        ),
    )
    start_date = models.DateField(_("opens"))
    end_date = models.DateField(
        _("closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a permanent exhibition."),
    )
    curator = models.CharField(_("curator"), max_length=200, blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(
        ExhibitionStreamBlock(),
        blank=True,
        verbose_name=_("introduction and content"),
    )
    credits = RichTextField(
        _("credits"),
        blank=True,
        features=["bold", "italic", "link", "ul", "h3"],
        help_text=_("Who made the exhibition and who lent what: its own page."),
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("curator"), FieldPanel("theme")]),
            ],
            heading=_("Exhibition"),
        ),
        FieldPanel("body"),
        FieldPanel("credits"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("curator"),
        index.SearchField("credits"),
        index.FilterField("start_date"),
        index.FilterField("end_date"),
    ]

    parent_page_types = ["exhibitions.ExhibitionIndexPage"]
    subpage_types = ["exhibitions.ExhibitionChapterPage"]

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The exhibition closes before it opens.")}
            )

    def status(self, today=None):
        today = today or timezone.localdate()
        if self.start_date and self.start_date > today:
            return ExhibitionStatus.UPCOMING
        if self.end_date and self.end_date < today:
            return ExhibitionStatus.PAST
        return ExhibitionStatus.CURRENT

    def years(self, today=None):
        today = today or timezone.localdate()
        last = (self.end_date or max(today, self.start_date)).year
        return range(self.start_date.year, last + 1)

    def is_open_in(self, year, today=None):
        return year in self.years(today)

    def chapters(self):
        return ExhibitionChapterPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chapters = list(self.chapters())
        for chapter in chapters:
            chapter.visit_url = page_url(chapter, request)
        context["chapters"] = chapters
        context["exhibition"] = self
        context["exhibition_url"] = page_url(self, request)
        context["index_page"] = self.get_parent().specific
        context["index_url"] = page_url(context["index_page"], request)
        context["credits_url"] = self.credits_url(request) if self.credits else ""
        return context

    @path("credits/", name="credits")
    def credits_page(self, request):
        if not self.credits:
            raise Http404
        return self.render(request, template="exhibitions/exhibition_credits.html")

    def credits_url(self, request):
        return page_url(self, request) + self.reverse_subpage("credits")


class ExhibitionChapterPage(TranslationNoticeMixin, BasePage):
    """One chapter of an exhibition: its own address, the chapter list, 下一章."""

    body = StreamField(ExhibitionStreamBlock(), blank=True, verbose_name=_("content"))

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["exhibitions.ExhibitionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("exhibition chapter")
        verbose_name_plural = _("exhibition chapters")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        exhibition = self.get_parent().specific
        chapters = list(exhibition.chapters())
        for chapter in chapters:
            chapter.visit_url = page_url(chapter, request)
        position = next(
            (i for i, chapter in enumerate(chapters) if chapter.pk == self.pk), None
        )
        previous = following = None
        if position is not None:
            previous = chapters[position - 1] if position > 0 else None
            following = chapters[position + 1] if position + 1 < len(chapters) else None
        context.update(
            {
                "exhibition": exhibition,
                "exhibition_url": page_url(exhibition, request),
                "chapters": chapters,
                "chapter_number": position + 1 if position is not None else None,
                "previous_chapter": previous,
                "next_chapter": following,
            }
        )
        return context


# Thematic collections ------------------------------------------------------------


class ThematicCollectionIndexPage(ServesUntranslatedChildren, BasePage):
    """专题荟萃: every thematic collection, with how many records each holds."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["exhibitions.ThematicCollectionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("thematic collections")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        own = list(
            ThematicCollectionPage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image", "theme")
        )
        others = self.mark_untranslated(
            list(
                self.untranslated_children(ThematicCollectionPage).select_related(
                    "hero_image", "theme"
                )
            ),
            request,
        )
        collections = own + others
        paginator = Paginator(collections, COLLECTIONS_PER_PAGE)
        listing = paginator.get_page(_page_number(request.GET.get("page")))
        counts = public_record_counts([c.pk for c in listing.object_list])
        for collection in listing.object_list:
            collection.record_count = counts.get(collection.pk, 0)
        context.update({"collections": listing, "paginator": paginator})
        return context


def public_record_counts(collection_ids):
    """How many public hand-picked records each collection holds: one query."""
    return dict(
        ThematicCollectionRecord.objects.filter(
            page_id__in=collection_ids, record__in=Record.objects.public()
        )
        .values("page_id")
        .annotate(count=Count("id"))
        .values_list("page_id", "count")
    )


class ThematicCollectionPage(TranslationNoticeMixin, BasePage):
    """A curated set of records with its story: hand-picked records in the
    editor's order, optionally extended by a saved search re-run on every visit."""

    hero_image = image_field(_("image"))
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(
        ExhibitionStreamBlock(), blank=True, verbose_name=_("introduction")
    )
    saved_query = models.CharField(
        _("saved search: words"),
        max_length=200,
        blank=True,
        help_text=_("Words searched in the catalogue, e.g. 码头."),
    )
    saved_filters = models.CharField(
        _("saved search: filters"),
        max_length=500,
        blank=True,
        help_text=_(
            "The filters of a catalogue search as they appear in its address, e.g. "
            "repository=120101&type=file&decade=1950."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("hero_image"), FieldPanel("theme")]),
        FieldPanel("body"),
        InlinePanel(
            "collection_records",
            heading=_("Records"),
            label=_("Record"),
            help_text=_("Search by reference code or title; drag to reorder."),
        ),
        MultiFieldPanel(
            [FieldPanel("saved_query"), FieldPanel("saved_filters")],
            heading=_("Saved search"),
            help_text=_(
                "Optional: records this search finds are listed after the "
                "hand-picked ones, and the list grows with the catalogue."
            ),
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("saved_query"),
    ]

    parent_page_types = ["exhibitions.ThematicCollectionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("thematic collection")
        verbose_name_plural = _("thematic collections")

    @property
    def collection_key(self):
        """This collection's id in search (`collection=<key>`): the id of its
        default-language (zh-Hans) version, the same in every language."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self.pk
        source = self.get_translation_or_none(default)
        return source.pk if source is not None else self.pk

    def clean(self):
        super().clean()
        filters = self.saved_filters.strip().lstrip("?")
        if filters:
            if "://" in filters or "#" in filters or " " in filters:
                raise ValidationError(
                    {
                        "saved_filters": _(
                            "Give only the filters, as in repository=120101&type=file."
                        )
                    }
                )
            pairs = parse_qsl(filters, keep_blank_values=True)
            if not pairs or any(not key for key, _value in pairs):
                raise ValidationError(
                    {
                        "saved_filters": _(
                            "Give the filters as name=value pairs joined by &."
                        )
                    }
                )
            if any(key in {"q", "page"} for key, _value in pairs):
                raise ValidationError(
                    {
                        "saved_filters": _(
                            "Put the search words in “saved search: words”, "
                            "not in the filters."
                        )
                    }
                )
        # The search's own rules, through its hook: a filter it does not know
        # would be ignored at render and widen the collection.
        problems = [
            problem
            for validate in hooks.get_hooks("validate_saved_search")
            for problem in validate(self.saved_query.strip(), filters)
        ]
        if problems:
            raise ValidationError({"saved_filters": problems})
        self.saved_filters = filters

    @property
    def has_saved_search(self):
        return bool(self.saved_query.strip() or self.saved_filters.strip())

    def saved_search_url(self):
        """The saved search in the catalogue search, or "" without one: the
        page links to it from its results and from its notice."""
        try:
            search = reverse("search")
        except NoReverseMatch:
            return ""
        if not self.has_saved_search:
            return ""
        params = "q=" + quote(self.saved_query, safe="/")
        if self.saved_filters:
            params += "&" + self.saved_filters
        return f"{search}?{params}"

    def hand_picked_records(self):
        """The public hand-picked records, in the editor's order."""
        ids = list(
            self.collection_records.order_by("sort_order", "pk").values_list(
                "record_id", flat=True
            )
        )
        return records.public_records(ids)

    def saved_search_results(self, page_number, language_code):
        """One page of what the saved search finds now, or None when no search
        engine can answer (never an error for the visitor)."""
        if not self.has_saved_search:
            return None
        evaluators = hooks.get_hooks("evaluate_saved_search")
        if not evaluators:
            return None
        offset = (page_number - 1) * COLLECTION_RECORDS_PER_PAGE
        try:
            answer = evaluators[-1](
                self.saved_query.strip(),
                self.saved_filters.strip(),
                language_code,
                offset,
                COLLECTION_RECORDS_PER_PAGE,
            )
        except Exception:
            logger.exception("The saved search of collection %s failed", self.pk)
            return None
        if answer is None:
            return None
        ids, total = answer
        return {
            # Through the gate again: the search index may lag behind the catalogue.
            "records": records.public_records(list(ids)),
            "total": total,
            "page_number": page_number,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        picked = self.hand_picked_records()
        paginator = Paginator(picked, COLLECTION_RECORDS_PER_PAGE)
        listing = paginator.get_page(_page_number(request.GET.get("page")))
        context["records"] = listing
        context["record_cards"] = records.record_cards(listing.object_list, request)
        context["paginator"] = paginator
        found = None
        if self.has_saved_search:
            found_page = _page_number(request.GET.get("found"))
            found = self.saved_search_results(
                found_page, translation.get_language() or ""
            )
            if found is not None:
                found["cards"] = records.record_cards(found["records"], request)
                last = max(1, -(-found["total"] // COLLECTION_RECORDS_PER_PAGE))
                found["last"] = last
        context["saved_search"] = found
        context["saved_search_url"] = self.saved_search_url()
        context["index_url"] = page_url(self.get_parent(), request)
        return context


class ThematicCollectionRecord(Orderable):
    """A hand-picked record of a collection, in the editor's order."""

    page = ParentalKey(ThematicCollectionPage, related_name="collection_records")
    record = models.ForeignKey(
        "catalogue.Record", verbose_name=_("record"), on_delete=models.CASCADE
    )

    panels = [FieldPanel("record", widget=record_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        verbose_name = _("collection record")
        verbose_name_plural = _("collection records")


# The chronicle -----------------------------------------------------------------


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    DECADE = "decade", _("Decade")


class ChronicleIndexPage(ServesUntranslatedChildren, BasePage):
    """大事记: the city's events in order, under year headings, by decade."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["exhibitions.ChronicleEventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("chronicle")

    def events(self):
        own = list(
            ChronicleEventPage.objects.child_of(self)
            .live()
            .public()
            .select_related("image")
        )
        return own + list(
            self.untranslated_children(ChronicleEventPage).select_related("image")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = self.events()
        untranslated = [e for e in events if e.locale_id != self.locale_id]
        self.mark_untranslated(untranslated, request)
        events.sort(key=lambda e: (e.start_date, e.end_date or e.start_date, e.pk))
        decades = {}
        for event in events:
            decades[event.decade] = decades.get(event.decade, 0) + 1

        messages = []
        decade = None
        raw = request.GET.get("decade", "").strip()
        if raw:
            if raw.isdigit() and int(raw) % 10 == 0 and int(raw) in decades:
                decade = int(raw)
                events = [e for e in events if e.decade == decade]
            else:
                messages.append(
                    _(
                        "There are no events for “%(decade)s”: choose a decade from "
                        "the list, e.g. 1950."
                    )
                    % {"decade": raw[:20]}
                )
        paginator = Paginator(events, CHRONICLE_EVENTS_PER_PAGE)
        listing = paginator.get_page(_page_number(request.GET.get("page")))
        _attach_links(listing.object_list, request)
        # Year headings; an event known only to its decade goes under the decade.
        years = []
        for event in listing.object_list:
            if event.precision == DatePrecision.DECADE:
                key = {"year": event.decade, "is_decade": True}
            else:
                key = {"year": event.start_date.year, "is_decade": False}
            if not years or {k: years[-1][k] for k in key} != key:
                years.append({**key, "events": []})
            years[-1]["events"].append(event)
        context.update(
            {
                "events": listing,
                "paginator": paginator,
                "years": years,
                "decades": sorted(decades.items()),
                "chosen_decade": decade,
                "filter_messages": messages,
            }
        )
        return context


def _attach_links(events, request):
    """Each event's public records and live related pages, in a few queries."""
    events = list(events)
    by_event = {}
    for event_id, record_id in (
        ChronicleEventRecord.objects.filter(page_id__in=[e.pk for e in events])
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "record_id")
    ):
        by_event.setdefault(event_id, []).append(record_id)
    shown = {
        record.pk: record
        for record in records.public_records(
            [pk for ids in by_event.values() for pk in ids]
        )
    }
    cards = {
        card.record.pk: card for card in records.record_cards(shown.values(), request)
    }
    links = {}
    for link in ChronicleEventLink.objects.filter(
        page_id__in=[e.pk for e in events]
    ).select_related("link_page"):
        target = link.link_page.localized
        if target.live:
            links.setdefault(link.page_id, []).append(target)
    for event in events:
        event.cards = [cards[pk] for pk in by_event.get(event.pk, []) if pk in cards]
        event.related = links.get(event.pk, [])


class ChronicleEventPage(TranslationNoticeMixin, Page):
    """One event of the chronicle: when, what, and the records that tell it.

    A page rather than a snippet: editors translate, schedule, moderate and
    revise it the way they do every other page, and it has a permalink.
    """

    start_date = models.DateField(
        _("date"),
        help_text=_(
            "For an event known only to the month or year, give its first day "
            "(1 October, 1 January) and set the precision."
        ),
    )
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For events that lasted.")
    )
    precision = models.CharField(
        _("precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    circa = models.BooleanField(
        _("approximate"), default=False, help_text=_("Shown as 约1920年 / c. 1920.")
    )
    description = models.TextField(
        pgettext_lazy("chronicle event", "description"),
        max_length=800,
        help_text=_("One or two sentences."),
    )
    image = image_field(
        _("image"),
        help_text=_(
            "Optional: shown beside the event in the chronicle and on its page; "
            "its description in the image library is the alternative text."
        ),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("precision"), FieldPanel("circa")]),
            ],
            heading=_("When"),
        ),
        FieldPanel("description"),
        FieldPanel("image"),
        InlinePanel("event_records", heading=_("Records"), label=_("Record")),
        InlinePanel(
            "event_links",
            heading=_("Related pages"),
            label=pgettext_lazy("a related page", "Page"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.FilterField("start_date"),
    ]

    parent_page_types = ["exhibitions.ChronicleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("chronicle event")
        verbose_name_plural = _("chronicle events")
        ordering = ["start_date"]

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The event ends before it starts.")})

    @property
    def decade(self):
        return self.start_date.year // 10 * 10

    @property
    def chronicle_anchor(self):
        """The id of the heading the event is listed under in the chronicle."""
        if self.precision == DatePrecision.DECADE:
            return f"decade-{self.decade}"
        return f"year-{self.start_date.year}"

    @property
    def introduction(self):
        # Listings and the meta description read `introduction` on every page.
        return self.description

    def linked_records(self):
        ids = list(
            self.event_records.order_by("sort_order", "pk").values_list(
                "record_id", flat=True
            )
        )
        return records.public_records(ids)

    def linked_pages(self):
        pages = []
        for link in self.event_links.select_related("link_page"):
            target = link.link_page.localized if link.link_page_id else None
            if target is not None and target.live:
                pages.append(target.specific)
        return pages

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chronicle = self.get_parent()
        context["chronicle_url"] = page_url(chronicle, request)
        context["chronicle"] = chronicle
        context["record_cards"] = records.record_cards(self.linked_records(), request)
        context["related_pages"] = self.linked_pages()
        return context


class ChronicleEventRecord(Orderable):
    page = ParentalKey(ChronicleEventPage, related_name="event_records")
    record = models.ForeignKey(
        "catalogue.Record", verbose_name=_("record"), on_delete=models.CASCADE
    )

    panels = [FieldPanel("record", widget=record_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        verbose_name = _("event record")


class ChronicleEventLink(Orderable):
    page = ParentalKey(ChronicleEventPage, related_name="event_links")
    link_page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("link_page")]

    class Meta(Orderable.Meta):
        verbose_name = _("related page")
