"""Record values in the visitor's language: language names and extents.

Catalogues keep the language of the material as an ISO 639-2 code ("chi",
"eng") or, in older ones, written out ("汉语"), and the extent in the archive's
own words ("357卷", "4页"). A page in English shows "Chinese" and "357
volumes"; this module is the one home of the language codes, the written-out
names, their BCP 47 tags and the units it understands. A value it does not
understand whole is shown as written: half-translated text would read worse
than the original.
"""

import re

from django.utils.translation import npgettext, pgettext_lazy

# ISO 639-2 (bibliographic) code -> its name. Search facets, record pages and
# structured data all read the codes, names and tags here.
LANGUAGE_NAMES = {
    "chi": pgettext_lazy("language of records", "Chinese"),
    "eng": pgettext_lazy("language of records", "English"),
    "jpn": pgettext_lazy("language of records", "Japanese"),
    "rus": pgettext_lazy("language of records", "Russian"),
    "fre": pgettext_lazy("language of records", "French"),
    "ger": pgettext_lazy("language of records", "German"),
}
# What catalogues write instead of the bibliographic code: the terminological
# ISO 639-2 code, the ISO 639-1 code, or the language written out.
LANGUAGE_ALIASES = {
    "zho": "chi",
    "zh": "chi",
    "中文": "chi",
    "汉语": "chi",
    "汉文": "chi",
    "en": "eng",
    "英文": "eng",
    "英语": "eng",
    "ja": "jpn",
    "日文": "jpn",
    "日语": "jpn",
    "ru": "rus",
    "俄文": "rus",
    "俄语": "rus",
    "fra": "fre",
    "fr": "fre",
    "法文": "fre",
    "法语": "fre",
    "deu": "ger",
    "de": "ger",
    "德文": "ger",
    "德语": "ger",
}
# Code -> the BCP 47 tag that HTML's lang and schema.org's inLanguage ask for.
LANGUAGE_TAGS = {
    "chi": "zh",
    "eng": "en",
    "jpn": "ja",
    "rus": "ru",
    "fre": "fr",
    "ger": "de",
}
_LIST_SEPARATORS = re.compile(r"\s*[,，;；、/]\s*")


def language_code(word):
    """The bibliographic code of one language code or name; an unknown word
    comes back lower-cased, as written."""
    word = word.strip().lower()
    return LANGUAGE_ALIASES.get(word, word)


def language_codes(value):
    """The codes of a Record.language value ("汉语、英语" -> chi, eng), each
    once; parts that are no known language are kept as written."""
    codes = []
    for part in _LIST_SEPARATORS.split((value or "").strip()):
        code = language_code(part)
        if code and code not in codes:
            codes.append(code)
    return codes


def language_name(code):
    """The name of one code in the active language, or the code itself."""
    name = LANGUAGE_NAMES.get(language_code(code))
    return code if name is None else str(name)


def language_names(value):
    """The named languages of a Record.language value, or None when any part
    of it is not a known code or name (then it is shown as written)."""
    names = []
    for code in language_codes(value):
        if code not in LANGUAGE_NAMES:
            return None
        name = str(LANGUAGE_NAMES[code])
        if name not in names:
            names.append(name)
    return names or None


def language_tags(value):
    """The BCP 47 tags of a Record.language value. An unknown two- or
    three-letter code is kept: an ISO 639 code is a BCP 47 language subtag."""
    tags = []
    for code in language_codes(value):
        tag = LANGUAGE_TAGS.get(code)
        if tag is None and code.isascii() and code.isalpha() and len(code) in (2, 3):
            tag = code
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _unit(singular, plural):
    return lambda count: npgettext("extent", singular, plural, count)


# The archive's counting words (DA/T 18 载体数量) -> "N volumes" and so on.
# 卷 is a bound file and 册 a bound book: both are volumes in English.
UNITS = {
    "卷": _unit("%(count)s volume", "%(count)s volumes"),
    "册": _unit("%(count)s volume", "%(count)s volumes"),
    "件": _unit("%(count)s item", "%(count)s items"),
    "页": _unit("%(count)s page", "%(count)s pages"),
    "张": _unit("%(count)s sheet", "%(count)s sheets"),
    "盒": _unit("%(count)s box", "%(count)s boxes"),
}
_QUANTITY = re.compile(r"(\d+)\s*(" + "|".join(UNITS) + ")")
# What may stand between quantities: "1卷，4页", "1卷 (4页)", "2盒共357卷".
_BETWEEN = re.compile(r"^[\s,，;；、()（）共+]*$")


def translated_extent(value):
    """An extent made only of quantities in known units, in the active
    language; None when anything else is in it (then it is shown as written)."""
    pieces = []
    rest = 0
    for match in _QUANTITY.finditer(value):
        between = value[rest : match.start()]
        if not _BETWEEN.match(between):
            return None
        if pieces:
            pieces.append(", ")
        count = int(match.group(1))
        pieces.append(UNITS[match.group(2)](count) % {"count": count})
        rest = match.end()
    if not pieces or not _BETWEEN.match(value[rest:]):
        return None
    return "".join(pieces)
