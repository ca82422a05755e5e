"""The fixed query set, and the public records each query should find.

The generator knows every record it writes and whether the public may see it
(it and all its ancestors open, no opening date still to come), so it can say,
for each query, which records a search ought to return. `truth.json` holds
that, for the search benchmark to measure recall against.

Format of truth.json (UTF-8, one JSON object):

    {
      "version": 1,                  # of this format
      "scale": 100000, "seed": 1956, # the dataset it belongs to
      "public_records": 81023,       # how many records the public may see
      "fields": ["title", "title_en", "creators", "subjects", "names",
                 "places", "scope_and_content", "full_text"],
      "queries": [
        {
          "id": "zh2-dangan",        # stable name of the query
          "kind": "zh2",             # zh2, zh4, phrase, en, refcode, rare,
                                     # none, browse (see QUERIES below)
          "q": "档案",               # what is typed in the search box
          "filters": {},             # see below; {} when none
          "count": 12345,            # len(hits)
          "hits": ["990101/J0001-001-0002-0003", ...]
        },
        ...
      ]
    }

A hit is "<repository code>/<reference code>" (reference codes are unique
within a repository only), in the order the records were generated (archival
order within each repository), and only ever a public record: the truth never
lists a record the portal must not show.

How a record matches `q`, by kind:

- zh2, zh4, phrase, rare, none: `q` occurs as a substring of any of `fields`:
  the title, the English title, a creator, a subject, a personal name, a
  place, the scope and content note, or one page of OCR text (never across
  two fields or two pages). Chinese has no spaces, so a substring is what a
  reader means by "contains the word".
- en: `q` occurs as a whole word, case-insensitive, in the English title.
- refcode: the reference code starts with `q` (档号 prefix search: J0003
  finds the fonds J0003 and everything in it; a partial prefix such as
  J0010-001-0001-0001 finds J0010-001-0001-000100 … -000199).
- browse: `q` is empty; every public record passes, then the filters apply.

Filters, all of which must hold:

- "level": "fonds" | "series" | "file" | "item";
- "repository": "990102" (the repository's code);
- "fonds": "J0001" (with "repository"): the fonds and everything below it;
- "years": [1950, 1959]: the record's dates overlap 1950-01-01 … 1959-12-31
  (undated records never pass).
"""

import datetime
import re

TRUTH_VERSION = 1
FIELDS = [
    "title",
    "title_en",
    "creators",
    "subjects",
    "names",
    "places",
    "scope_and_content",
    "full_text",
]


def queries(catalogue):
    """The query set for a generated catalogue.

    Words come from the generator's vocabulary (so they occur, some often, some
    rarely), 档号 prefixes from its fixed layout (J0001 exists in every
    repository; the wide file's code is known in advance), rare names from its
    pool of people.
    """
    wide = catalogue.wide_code
    # About a hundredth of the wide file: its items 100 to 199.
    wide_part = wide + "-" + "1".rjust(catalogue.wide_width - 2, "0")
    people = catalogue.people
    listed = [
        # Two-character words: the commonest searches.
        ("zh2", "档案"),
        ("zh2", "码头"),
        ("zh2", "教育"),
        ("zh2", "粮食"),
        ("zh2", "铁路"),
        ("zh2", "工资"),
        ("zh2", "卫生"),
        ("zh2", "水利"),
        # Four-character words.
        ("zh4", "基本建设"),
        ("zh4", "防汛抗旱"),
        ("zh4", "爱国卫生"),
        ("zh4", "扫除文盲"),
        ("zh4", "统购统销"),
        ("zh4", "劳动保险"),
        ("zh4", "公共交通"),
        ("zh4", "城市规划"),
        # Phrases: longer strings, some made of two vocabulary parts.
        ("phrase", "码头扩建工程"),
        ("phrase", "整顿市区交通秩序"),
        ("phrase", "加强档案管理"),
        ("phrase", "港务局关于"),
        ("phrase", "工程质量验收合格"),
        ("phrase", "1958年"),
        # English words, in the English titles.
        ("en", "docks"),
        ("en", "harbour"),
        ("en", "railway"),
        ("en", "school"),
        ("en", "flood"),
        ("en", "bureau"),
        # 档号 prefixes.
        ("refcode", "J0001"),
        ("refcode", "J0002-001"),
        ("refcode", wide),
        ("refcode", wide_part),
        ("refcode", "J9999"),
        # Rare: two people and a place from the generator's pools.
        ("rare", people[17]),
        ("rare", people[2024]),
        ("rare", catalogue.places[100]),
        # Nothing should match.
        ("none", "量子计算机"),
    ]
    result = [{"kind": kind, "q": q, "filters": {}} for kind, q in listed]
    result += [
        {"kind": "zh2", "q": "码头", "filters": {"level": "file"}},
        {"kind": "zh2", "q": "档案", "filters": {"years": [1950, 1959]}},
        {"kind": "zh2", "q": "教育", "filters": {"repository": "990102"}},
        {
            "kind": "zh2",
            "q": "工资",
            "filters": {"repository": "990101", "fonds": "J0001"},
        },
        {"kind": "zh4", "q": "基本建设", "filters": {"level": "item"}},
        {"kind": "browse", "q": "", "filters": {"level": "fonds"}},
        {"kind": "browse", "q": "", "filters": {"years": [1930, 1939]}},
    ]
    seen = {}
    for query in result:
        base = f"{query['kind']}-{_slug(query['q'])}"
        if query["filters"]:
            base += "-" + "-".join(
                f"{k}-{_slug(str(v))}" for k, v in sorted(query["filters"].items())
            )
        seen[base] = seen.get(base, 0) + 1
        query["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return result


def _slug(text):
    """Letters, digits and Chinese characters kept; anything else a dash."""
    return re.sub(r"[^0-9A-Za-z\u3400-\u9fff]+", "-", text).strip("-").lower() or "all"


class Truth:
    """Collects, record by record, the hits of every query."""

    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.queries = queries(catalogue)
        self.public = 0
        for query in self.queries:
            query["hits"] = []
            kind = query["kind"]
            if kind == "en":
                pattern = re.compile(rf"\b{re.escape(query['q'])}\b", re.IGNORECASE)
                query["_match"] = ("en", pattern)
            elif kind == "refcode":
                query["_match"] = ("prefix", query["q"])
            elif kind == "browse":
                query["_match"] = ("all", None)
            else:
                query["_match"] = ("text", query["q"])
            years = query["filters"].get("years")
            if years:
                first, last = years
                query["_years"] = (
                    datetime.date(first, 1, 1),
                    datetime.date(last, 12, 31),
                )

    def add(self, node, fonds_code):
        """Count one generated record; only public ones can be hits."""
        if not node.public:
            return
        self.public += 1
        haystack = None
        key = f"{node.repository}/{node.code}"
        for query in self.queries:
            how, what = query["_match"]
            if how == "text":
                if haystack is None:
                    haystack = "\n".join(
                        [
                            node.title,
                            node.title_en,
                            *node.creators,
                            *node.subjects,
                            *node.names,
                            *node.places,
                            node.scope,
                            *node.pages,
                        ]
                    )
                if what not in haystack:
                    continue
            elif how == "en":
                if not node.title_en or not what.search(node.title_en):
                    continue
            elif how == "prefix" and not node.code.startswith(what):
                continue
            if query["filters"] and not self._passes(query, node, fonds_code):
                continue
            query["hits"].append(key)

    @staticmethod
    def _passes(query, node, fonds_code):
        filters = query["filters"]
        if "level" in filters and node.level != filters["level"]:
            return False
        if "repository" in filters and node.repository != filters["repository"]:
            return False
        if "fonds" in filters and fonds_code != filters["fonds"]:
            return False
        if "_years" in query:
            if node.date_start is None or node.date_end is None:
                return False
            low, high = query["_years"]
            if node.date_end < low or node.date_start > high:
                return False
        return True

    def document(self):
        return {
            "version": TRUTH_VERSION,
            "scale": self.catalogue.scale,
            "seed": self.catalogue.seed,
            "public_records": self.public,
            "fields": FIELDS,
            "queries": [
                {
                    "id": query["id"],
                    "kind": query["kind"],
                    "q": query["q"],
                    "filters": query["filters"],
                    "count": len(query["hits"]),
                    "hits": query["hits"],
                }
                for query in self.queries
            ],
        }
