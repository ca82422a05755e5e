"""The shape of search documents, shared by the document builders and engines.

Catalogue documents (index "catalogue"):

    id              "r<record id>" for a record, "r<record id>-p<page>" for a page
    record_id       int: the record (pages share it; results show one per
                    record). Internal to the engines, like "id": never shown
    page            int page number of a full-text page document, else absent
    type            the record's level: "fonds", "series", "file", "item"
    title           the title as the archivist wrote it (Chinese unless the
                    record's language is English; then title_en instead)
    title_en
    reference_code  档号, e.g. "J0001-001-0001-0001"
    reference_prefixes  every dash-bounded prefix of it: "J0001", "J0001-001", …
    creators        list of 责任者
    terms           subject terms, names and places
    description     scope and content, notes (Chinese / description_en)
    text            the page's OCR text (page documents only; text_en likewise)
    date            the date as written (display)
    date_sort       int YYYYMMDD of the start date (absent when undated)
    year_start, year_end  ints
    decade          list of decades the dates cover ("1940", "1950")
    repository      repository code
    repository_name, repository_name_en
    fonds           the record's fonds (itself for a fonds) as "<repository
                    code>/<档号>", the tail of its permalink
    ancestors       list of ancestor ids, root first (ints)
    breadcrumb      list of {"title", "reference_code"} of the ancestors
    medium          载体 (carrier), e.g. "纸质"
    digital         "yes" / "no": has page images or other digital objects
    language        list of language codes (ISO 639-2, e.g. "chi", "eng")
    collections     list of thematic collection keys (strings) holding it
    thumbnail       id of the first page image's digital object, or absent
    page_count

Site documents (index "site"): id "page<id>", type ("exhibition", "chapter",
"collection", "chronicle", "page"), locale ("zh-hans" / "en"), title or
title_en, description or description_en, text or text_en, url, date_sort.
"""

CATALOGUE = "catalogue"
SITE = "site"
INDEXES = (CATALOGUE, SITE)

SORT_RELEVANCE = "relevance"
SORT_DATE_ASC = "date_asc"
SORT_DATE_DESC = "date_desc"
SORTS = (SORT_RELEVANCE, SORT_DATE_ASC, SORT_DATE_DESC)

# Facets a visitor can filter and count by. "type" spans both indexes (the
# record's level, or the kind of page); the others are catalogue fields.
FACETS = (
    "type",
    "repository",
    "fonds",
    "decade",
    "medium",
    "digital",
    "language",
    "collection",
)
# Facet name -> document field.
FACET_FIELDS = {
    "type": "type",
    "repository": "repository",
    "fonds": "fonds",
    "decade": "decade",
    "medium": "medium",
    "digital": "digital",
    "language": "language",
    "collection": "collections",
}

# Searchable fields in weight order, most important first.
SEARCHABLE = (
    "title",
    "title_en",
    "reference_code",
    "creators",
    "terms",
    "description",
    "description_en",
    "text",
    "text_en",
)
CHINESE_FIELDS = ("title", "description", "text", "creators", "terms")
ENGLISH_FIELDS = ("title_en", "description_en", "text_en")

FILTERABLE = (
    "record_id",
    "type",
    "repository",
    "fonds",
    "decade",
    "medium",
    "digital",
    "language",
    "collections",
    "ancestors",
    "reference_prefixes",
    "reference_code",
    "year_start",
    "year_end",
    "locale",
)
SORTABLE = ("date_sort",)

# Long documents are not sent whole: the fields kept in a hit.
DISPLAYED_WITHOUT = ("text", "text_en")

MAX_PER_PAGE = 100
# How deep a visitor may page (engines cap total hits; so do we).
MAX_RESULTS = 1000
