"""The search benchmark's query mix, made from the generator's truth file.

bench/datagen/truth.py fixes the queries and lists, for each, the public
records a search ought to find (`truth.json` beside the dataset). The
benchmark asks each query as a visitor would: phrases in quotes, 档号 prefixes
in the 档号 field, English words with the English interface, every facet
counted. Each query without filters is also asked for page 50, which costs
an engine the ranking of a thousand hits.
"""

from dataclasses import dataclass, field

# Query kinds of the truth file, in the order the tables show them.
CLASSES = {
    "zh2": "Chinese two-character words",
    "zh4": "Chinese four-character words",
    "phrase": "quoted phrases",
    "en": "English words",
    "refcode": "档号 prefixes",
    "rare": "rare names and places",
    "none": "no hit expected",
    "browse": "filters only, no words",
}
# Kinds whose matches are substrings of the record's text: the local engine
# should find every expected hit (Wagtail's only whole words).
SUBSTRING_KINDS = ("zh2", "zh4", "phrase", "rare")
# Kinds asked for page 50 too (when they have no filters).
PAGED_KINDS = ("zh2", "zh4", "phrase", "en", "refcode")
DEEP_PAGE = 50

VARIANTS = {
    "page 1": "page 1, no filter",
    "page 50": f"page {DEEP_PAGE}, no filter",
    "filters": "page 1, with filters",
}


@dataclass(frozen=True)
class Query:
    truth_id: str  # the truth-file query whose hits are expected
    kind: str
    typed: str  # what goes in the search box ("" for a 档号 or a browse)
    reference: str = ""  # the 档号 field
    filters: dict = field(default_factory=dict)  # as the truth file gives them
    page: int = 1

    @property
    def variant(self):
        if self.filters:
            return "filters"
        return "page 1" if self.page == 1 else f"page {self.page}"

    @property
    def label(self):
        text = self.typed or (f"档号 {self.reference}" if self.reference else "—")
        if self.filters:
            text += " " + ", ".join(f"{k}={v}" for k, v in self.filters.items())
        if self.page != 1:
            text += f" (page {self.page})"
        return text


def typed(kind, q):
    """(search box text, 档号 field) for a truth query."""
    if kind == "refcode":
        return "", q
    if kind == "phrase":
        return f'"{q}"', ""
    return q, ""


def mix(truth: dict) -> list[Query]:
    queries = []
    for entry in truth["queries"]:
        text, reference = typed(entry["kind"], entry["q"])
        base = Query(
            truth_id=entry["id"],
            kind=entry["kind"],
            typed=text,
            reference=reference,
            filters=dict(entry["filters"]),
        )
        queries.append(base)
        if entry["kind"] in PAGED_KINDS and not entry["filters"]:
            queries.append(
                Query(base.truth_id, base.kind, text, reference, page=DEEP_PAGE)
            )
    return queries
