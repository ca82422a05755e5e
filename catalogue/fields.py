"""The field registry: every descriptive field of a record, named once.

Each field says what it is in ISAD(G) and DA/T 18, which EAD element carries
it, whether the public may see it and where the record page shows it. The
importers, the exports (JSON, Dublin Core, EAD) and the record page read their
lists from here; nothing else lists the record's fields.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueField:
    name: str  # the Record model's field
    isad: str  # ISAD(G) element
    dat18: str = ""  # DA/T 18 item, when it has one
    ead: str = ""  # the EAD element of a note-like field, read and written
    shown: str = ""  # "main", "more" or "" (not a row of the record page)
    public: bool = True
    imported: bool = True


FIELDS = (
    CatalogueField("reference_code", "3.1.1 Reference code", "档号", shown="main"),
    CatalogueField("fonds_code", "3.1.1 Reference code", "全宗号", shown="more"),
    CatalogueField("series_code", "3.1.1 Reference code", "目录号", shown="more"),
    CatalogueField("file_number", "3.1.1 Reference code", "案卷号", shown="more"),
    CatalogueField("item_number", "3.1.1 Reference code", "件号", shown="more"),
    CatalogueField("level", "3.1.4 Level of description", "著录层次", public=False),
    CatalogueField("title", "3.1.2 Title", "题名", shown="main"),
    CatalogueField("title_en", "3.1.2 Title", "并列题名", shown="main"),
    CatalogueField("creators", "3.2.1 Name of creator", "责任者", shown="main"),
    CatalogueField("date_expression", "3.1.3 Dates", "日期", shown="main"),
    CatalogueField("date_start", "3.1.3 Dates"),
    CatalogueField("date_end", "3.1.3 Dates"),
    CatalogueField("document_number", "3.1.1 Reference code", "文件编号", shown="main"),
    CatalogueField("extent", "3.1.5 Extent and medium", "载体数量", shown="main"),
    CatalogueField("page_count", "3.1.5 Extent and medium", "页数", shown="main"),
    CatalogueField(
        "scope_and_content",
        "3.3.1 Scope and content",
        "内容提要",
        ead="scopecontent",
        shown="main",
    ),
    CatalogueField("subjects", "Access points", "主题词", shown="main"),
    CatalogueField("names", "Access points", "人名", shown="main"),
    CatalogueField("places", "Access points", "地名", shown="main"),
    CatalogueField("language", "3.4.3 Language of material", "语种", shown="main"),
    CatalogueField(
        "biographical_history",
        "3.2.2 Administrative / biographical history",
        ead="bioghist",
        shown="main",
    ),
    CatalogueField(
        "custodial_history", "3.2.3 Archival history", ead="custodhist", shown="more"
    ),
    CatalogueField(
        "acquisition",
        "3.2.4 Immediate source of acquisition",
        ead="acqinfo",
        shown="more",
    ),
    CatalogueField(
        "arrangement", "3.3.4 System of arrangement", ead="arrangement", shown="more"
    ),
    CatalogueField(
        "conditions_of_use",
        "3.4.2 Conditions governing reproduction",
        ead="userestrict",
        shown="more",
    ),
    CatalogueField(
        "physical_location", "3.5.1 Existence and location of originals", shown="more"
    ),
    CatalogueField(
        "related_material",
        "3.5.3 Related units of description",
        ead="relatedmaterial",
        shown="more",
    ),
    CatalogueField(
        "finding_aids", "3.4.5 Finding aids", ead="otherfindaid", shown="more"
    ),
    CatalogueField(
        "preferred_citation", "Preferred citation", ead="prefercite", shown="more"
    ),
    CatalogueField(
        "processing_information",
        "3.7.1 Archivist's note",
        ead="processinfo",
        shown="more",
    ),
    CatalogueField("external_links", "3.5.2 Existence and location of copies"),
    CatalogueField("notes", "3.6.1 Note", "附注", ead="odd", shown="main"),
    CatalogueField("retention_period", "3.3.2 Appraisal", "保管期限", shown="more"),
    CatalogueField(
        "classification", "3.4.1 Conditions governing access", "密级", shown="more"
    ),
    CatalogueField(
        "access_status",
        "3.4.1 Conditions governing access",
        "开放标识",
        shown="main",
    ),
    CatalogueField("opening_date", "3.4.1 Conditions governing access", public=False),
    CatalogueField("position", "", public=False),
)

BY_NAME = {f.name: f for f in FIELDS}
# Set by the reference code's parser, not read from a source. The record page
# shows the parts as the code's form names them (catalogue/reference.py).
CODE_PARTS = ("fonds_code", "series_code", "file_number", "item_number")
_CODE_PARTS = {"reference_code", *CODE_PARTS}

# The fields the public may see, in every export and on the page.
PUBLIC = tuple(f.name for f in FIELDS if f.public)
# The fields an import writes (the reference code and its parts are its own).
IMPORTED = tuple(f.name for f in FIELDS if f.imported and f.name not in _CODE_PARTS)
# The record page's rows: first the main ones, then those behind "more".
MAIN = tuple(f.name for f in FIELDS if f.shown == "main")
MORE = tuple(f.name for f in FIELDS if f.shown == "more")
# Note-like fields by their EAD element: read from EAD and written to it.
EAD_NOTES = {f.ead: f.name for f in FIELDS if f.ead}
