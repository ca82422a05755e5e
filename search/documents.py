"""Search documents built from the database, the only truth.

The builders read records through `Record.objects.public()` and nothing else:
a record that is not public has no document, whatever it is asked for. Pages
are built only when live and public.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db.models import Min
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.models import Locale, Page

from catalogue.models import SEGMENT, DigitalObject, PageText, Record, Repository
from catalogue.values import language_codes

from . import text

BATCH = 1000
# A page document carries at most this much text: the OCR of one page, or a
# web page's text; longer text would only dilute its ranking.
MAX_TEXT = 20000
MAX_DECADES = 30


class NotPublic(Exception):
    """A document was asked for a record that is not public."""


def record_document_id(record_id: int) -> str:
    return f"r{record_id}"


def page_document_id(record_id: int, page_number: int) -> str:
    return f"r{record_id}-p{page_number}"


def site_document_id(page_id: int) -> str:
    return f"page{page_id}"


def page_id_of(document_id) -> int | None:
    """The page a site document stands for (None for any other id)."""
    digits = str(document_id or "").removeprefix("page")
    return int(digits) if digits.isdigit() else None


def fonds_key(repository_code: str, reference_code: str) -> str:
    """A fonds as the `fonds` facet names it: its permalink's tail, public
    like the permalink (a database id would tell how many are hidden)."""
    return f"{repository_code}/{reference_code}"


def reference_prefixes(code: str) -> list[str]:
    parts = code.split("-")
    return ["-".join(parts[: i + 1]) for i in range(len(parts))]


def decades(start: int | None, end: int | None) -> list[str]:
    if start is None:
        return []
    end = end if end is not None and end >= start else start
    first, last = start - start % 10, end - end % 10
    return [str(d) for d in range(first, last + 1, 10)][:MAX_DECADES]


# What a document needs of a record: read as plain values, because building
# a model instance per record costs more than the rest of the document.
ROW_FIELDS = (
    "pk",
    "path",
    "level",
    "reference_code",
    "title",
    "title_en",
    "creators",
    "subjects",
    "names",
    "places",
    "scope_and_content",
    "notes",
    "date_expression",
    "date_start",
    "date_end",
    "repository_id",
    "language",
    "page_count",
)


class _Row:
    __slots__ = (*ROW_FIELDS, "ancestor_ids")

    def __init__(self, values):
        for name, value in zip(ROW_FIELDS, values, strict=True):
            setattr(self, name, value)
        path = self.path
        self.ancestor_ids = [
            int(path[i : i + SEGMENT]) for i in range(0, len(path), SEGMENT)
        ]


def _rows(records) -> list[_Row]:
    return [_Row(values) for values in records.values_list(*ROW_FIELDS)]


class CatalogueBuilder:
    """Builds the documents of batches of public records."""

    def __init__(self, today=None):
        self.today = today
        self.repositories = {r.pk: r for r in Repository.objects.all()}
        self.collections = _collection_memberships()

    def public_ids(self, record_ids: Iterable[int] | None = None):
        records = Record.objects.public(self.today)
        if record_ids is not None:
            records = records.filter(pk__in=list(record_ids))
        return records

    def documents(self, record_ids: Iterable[int]) -> list[dict]:
        """Documents of these records; ids that are not public are refused."""
        record_ids = list(record_ids)
        records = _rows(self.public_ids(record_ids).order_by("pk"))
        if len(records) != len(set(record_ids)):
            found = {r.pk for r in records}
            missing = sorted(set(record_ids) - found)
            raise NotPublic(f"not public: {missing[:10]}")
        return self._build(records)

    def documents_for_public(self, record_ids: Iterable[int]) -> tuple[list, list]:
        """(documents, ids that are public) of whichever of these are public."""
        records = _rows(self.public_ids(record_ids).order_by("pk"))
        return self._build(records), [r.pk for r in records]

    def _build(self, records: list["_Row"]) -> list[dict]:
        if not records:
            return []
        ids = [r.pk for r in records]
        wanted = set(ids)
        # A range, then the ids kept in Python: a long IN list costs Django
        # more to build than the query costs SQLite.
        in_range = {"record_id__gte": ids[0], "record_id__lte": ids[-1]}
        ancestor_ids = {a for r in records for a in r.ancestor_ids}
        ancestors = {
            a.pk: a
            for a in Record.objects.filter(pk__in=ancestor_ids).only(
                "pk", "title", "title_en", "reference_code", "level"
            )
        }
        kinds = defaultdict(set)
        first_image = {}
        for record_id, kind in (
            DigitalObject.objects.filter(**in_range)
            .values_list("record_id", "kind")
            .distinct()
        ):
            if record_id in wanted:
                kinds[record_id].add(kind)
        for row in (
            DigitalObject.objects.filter(**in_range, kind=DigitalObject.Kind.IMAGE)
            .values("record_id")
            .annotate(first=Min("position"))
        ):
            if row["record_id"] in wanted:
                first_image[row["record_id"]] = row["first"]
        thumbnails = {}
        if first_image:
            for record_id, position, pk in DigitalObject.objects.filter(
                record_id__in=list(first_image), kind=DigitalObject.Kind.IMAGE
            ).values_list("record_id", "position", "pk"):
                if first_image[record_id] == position and record_id not in thumbnails:
                    thumbnails[record_id] = pk
        pages = defaultdict(list)
        for record_id, number, page_text in (
            PageText.objects.filter(**in_range)
            .exclude(text="")
            .order_by("record_id", "page_number")
            .values_list("record_id", "page_number", "text")
        ):
            if record_id in wanted:
                pages[record_id].append((number, page_text))
        documents = []
        for record in records:
            main = self._record(record, ancestors, kinds, thumbnails)
            documents.append(main)
            facet_fields = {k: main[k] for k in _REPEATED if k in main}
            for number, page_text in pages.get(record.pk, ()):
                document = {
                    **facet_fields,
                    "id": page_document_id(record.pk, number),
                    "page": number,
                }
                document[_text_field(record)] = text.clean(page_text)[:MAX_TEXT]
                documents.append(document)
        return documents

    def _record(self, record, ancestors, kinds, thumbnails):
        repository = self.repositories.get(record.repository_id)
        chain = [ancestors[a] for a in record.ancestor_ids if a in ancestors]
        fonds = next((a for a in chain if a.level == "fonds"), None)
        if fonds is None:
            fonds = chain[0] if chain else record
        if record.level == "fonds":
            fonds = record
        english = _is_english(record)
        description = "\n".join(
            filter(None, [record.scope_and_content, record.notes])
        ).strip()
        start = record.date_start.year if record.date_start else None
        end = record.date_end.year if record.date_end else start
        document = {
            "id": record_document_id(record.pk),
            "record_id": record.pk,
            "type": record.level,
            "reference_code": record.reference_code,
            "reference_prefixes": reference_prefixes(record.reference_code),
            "creators": [text.clean(c) for c in record.creators or []],
            "terms": [
                text.clean(t)
                for t in (record.subjects or [])
                + (record.names or [])
                + (record.places or [])
            ],
            "date": record.date_expression,
            "year_start": start,
            "year_end": end,
            "decade": decades(start, end),
            "repository": repository.code if repository else "",
            "repository_name": repository.name if repository else "",
            "repository_name_en": repository.name_en if repository else "",
            "fonds": fonds_key(
                repository.code if repository else "", fonds.reference_code
            ),
            "ancestors": record.ancestor_ids,
            "breadcrumb": [
                {"title": a.title, "reference_code": a.reference_code} for a in chain
            ],
            "medium": sorted(kinds.get(record.pk, ())),
            "digital": "yes" if kinds.get(record.pk) else "no",
            "language": language_codes(record.language),
            "collections": self.collections.get(record.pk, []),
            "page_count": record.page_count,
        }
        if record.date_start:
            document["date_sort"] = int(record.date_start.strftime("%Y%m%d"))
        if record.pk in thumbnails:
            document["thumbnail"] = thumbnails[record.pk]
        if english:
            document["title_en"] = text.clean(record.title_en or record.title)
            document["description_en"] = text.clean(description)
        else:
            document["title"] = text.clean(record.title)
            if record.title_en:
                document["title_en"] = text.clean(record.title_en)
            document["description"] = text.clean(description)
        return document


# What every page document repeats of its record (Meilisearch counts facets
# after collapsing pages into their record).
_REPEATED = (
    "record_id",
    "type",
    "reference_code",
    "reference_prefixes",
    "year_start",
    "year_end",
    "decade",
    "repository",
    "fonds",
    "ancestors",
    "medium",
    "digital",
    "language",
    "collections",
    "date_sort",
)


def _is_english(record):
    return language_codes(record.language) == ["eng"]


def _text_field(record):
    return "text_en" if _is_english(record) else "text"


def _collection_memberships() -> dict[int, list[str]]:
    """Record id -> keys of the live thematic collections that hold it."""
    try:
        model = apps.get_model("exhibitions", "ThematicCollectionRecord")
    except LookupError:
        return {}
    default = Locale.get_default()
    memberships = defaultdict(list)
    rows = model.objects.filter(page__live=True, page__locale=default).values_list(
        "record_id", "page_id"
    )
    for record_id, page_id in rows:
        key = str(page_id)
        if key not in memberships[record_id]:
            memberships[record_id].append(key)
    return memberships


def catalogue_batches(today=None, batch_size: int = BATCH) -> Iterator[list[dict]]:
    """Every public record's documents, in batches of records."""
    builder = CatalogueBuilder(today)
    last = 0
    while True:
        public = builder.public_ids().filter(pk__gt=last).order_by("pk")
        records = _rows(public[:batch_size])
        if not records:
            return
        yield builder._build(records)
        last = records[-1].pk


# Site pages -----------------------------------------------------------------

PAGE_TYPES = {
    "exhibitionpage": "exhibition",
    "exhibitionchapterpage": "chapter",
    "exhibitionindexpage": "page",
    "thematiccollectionpage": "collection",
    "thematiccollectionindexpage": "page",
    "chronicleindexpage": "chronicle",
    "chronicleeventpage": "chronicle",
}


def indexable_pages():
    """Live, public pages below a site root, without the bare tree root."""
    return Page.objects.live().public().filter(depth__gt=1).specific()


def site_document(page) -> dict | None:
    page = page.specific
    if not page.live or page.depth <= 1:
        return None
    language = page.locale.language_code
    english = language == "en"
    model = page.specific_class._meta.model_name
    body = []
    for field in page.get_search_fields():
        name = getattr(field, "field_name", "")
        if not name or name in ("title", "search_description"):
            continue
        if type(field).__name__ != "SearchField":
            continue
        body.append(_searchable_text(page, name))
    description = page.search_description or getattr(page, "introduction", "") or ""
    with translation.override(language):
        url = page.get_url()
        date = _page_date(page)
    if not url:
        return None
    document = {
        "id": site_document_id(page.pk),
        "type": PAGE_TYPES.get(model, "page"),
        "locale": language,
        "url": url,
    }
    suffix = "_en" if english else ""
    document["title" + suffix] = text.clean(page.title)
    document["description" + suffix] = text.clean(strip_tags(str(description)))[:2000]
    document["text" + suffix] = text.clean(" ".join(filter(None, body)))[:MAX_TEXT]
    if date:
        document["date"] = date
    published = page.first_published_at or page.last_published_at
    if published:
        document["date_sort"] = int(published.strftime("%Y%m%d"))
    return document


def _page_date(page):
    """When a chronicle event happened or an exhibition runs, as its own page
    says it in its language: a hit shows it as a record hit shows its date."""
    from exhibitions.models import ChronicleEventPage, ExhibitionPage
    from exhibitions.templatetags.exhibition_tags import event_date, exhibition_dates

    if isinstance(page, ChronicleEventPage):
        return text.clean(strip_tags(event_date(page)))
    if isinstance(page, ExhibitionPage) and page.start_date:
        return text.clean(strip_tags(exhibition_dates(page)))
    return ""


def _searchable_text(page, name):
    try:
        value = getattr(page, name)
    except AttributeError:
        return ""
    field = None
    try:
        field = page._meta.get_field(name)
    except Exception:  # noqa: BLE001 — a search field may be a method or property
        field = None
    if callable(value):
        value = value()
    if value is None:
        return ""
    if field is not None and hasattr(field, "get_searchable_content"):
        pieces = field.get_searchable_content(value) or []
        return " ".join(strip_tags(str(piece)) for piece in pieces if piece)
    return strip_tags(str(value or ""))


def site_batches(batch_size: int = 200) -> Iterator[list[dict]]:
    batch = []
    for page in indexable_pages().iterator(chunk_size=batch_size):
        document = site_document(page)
        if document:
            batch.append(document)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
