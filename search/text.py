"""Chinese and English text as the local engine indexes and queries it.

Folding: traditional characters become simplified (OpenCC), full-width forms
half-width (NFKC), Latin lower case, so 檔案, 档案 and ＡＢＣ find each other.

Indexing: a run of Han characters is written as its overlapping character
pairs (天津市档案馆 → 天津 津市 市档 档案 案馆 馆), the way CJK analysers in
Lucene index Chinese. Any two-character word is then found wherever it
occurs, even inside a longer word the dictionary would keep whole (档案 in
档案馆), and a longer word is found as the phrase of its pairs. The last
character of a run is kept alone so a one-character prefix finds it too.
Latin words are left to SQLite's porter stemmer.

Queries: jieba (rjieba) splits a Chinese query into words, so 滨江海关档案
asks for 滨江, 海关 and 档案 anywhere in a record rather than that exact
string; quotes ask for an exact phrase.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc
import rjieba

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
# What FTS5's unicode61 tokenizer would keep as one token.
WORD = re.compile(r"[^\W_]+", re.UNICODE)
PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


@cache
def _t2s():
    return opencc.OpenCC("t2s")


@cache
def _s2t():
    return opencc.OpenCC("s2t")


def fold(text: str) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return _t2s().convert(text).lower()


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def clean(text: str) -> str:
    """Remove the characters engines use to mark highlights."""
    return PRIVATE_USE.sub("", text or "")


def han_pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_text(text: str) -> str:
    """Folded text with Han runs written as character pairs, for FTS5."""
    if not text:
        return ""
    folded = fold(text)
    return HAN.sub(lambda match: " " + " ".join(han_pairs(match.group())) + " ", folded)


@dataclass(frozen=True)
class Term:
    """One thing a query asks for: a word, an exact phrase, or a prefix."""

    text: str  # folded
    phrase: bool = False
    prefix: bool = False

    def fts(self) -> str:
        """The term in FTS5 query syntax."""
        pieces = [p for p in re.split(f"({HAN.pattern})", self.text) if p.strip()]
        tokens = []
        last_is_lone_han = False
        for position, piece in enumerate(pieces):
            if HAN.fullmatch(piece):
                if position < len(pieces) - 1:
                    # The run ends here in the text too: its last character
                    # stands alone in the index, as in the query.
                    tokens.extend(han_pairs(piece))
                else:
                    # The text may go on with more Han characters.
                    tokens.extend(han_pairs(piece)[:-1] if len(piece) > 1 else [piece])
                    last_is_lone_han = len(piece) == 1
            else:
                tokens.extend(WORD.findall(piece))
        if not tokens:
            return ""
        quoted = '"' + " ".join(tokens) + '"'
        if self.prefix or last_is_lone_han:
            # A lone Han character begins a pair wherever it is not last.
            quoted += " *"
        return quoted

    def highlight_forms(self) -> list[str]:
        """What to mark in displayed (folded) text for this term."""
        return [self.text]


def parse_query(query: str, typing: bool = True) -> list[Term]:
    """Split a visitor's query into terms.

    `typing`: the last word is still being typed, so it matches as a prefix
    unless the query ends with a space.
    """
    query = clean(query)
    terms: list[Term] = []
    rest = []
    for index, part in enumerate(re.split(r'"', query)):
        if index % 2 == 1:
            folded = fold(part).strip()
            if folded:
                terms.append(Term(folded, phrase=True))
        else:
            rest.append(part)
    free = " ".join(rest)
    words = []
    for chunk in fold(free).split():
        for piece in re.split(f"({HAN.pattern})", chunk):
            if not piece:
                continue
            if HAN.fullmatch(piece):
                words.extend(w for w in rjieba.cut(piece) if w.strip())
            else:
                words.extend(WORD.findall(piece))
    for word in words:
        terms.append(Term(word))
    ends_open = typing and query and not query[-1].isspace() and not query.endswith('"')
    if ends_open and terms and not terms[-1].phrase:
        last = terms[-1]
        # A Han word of two or more characters is already found inside longer
        # words; a prefix helps single characters and Latin words being typed.
        if not HAN.fullmatch(last.text) or len(last.text) == 1:
            terms[-1] = Term(last.text, prefix=True)
    return terms


def words_of(query: str) -> list[str]:
    """The query's words, for suggestions."""
    return [term.text for term in parse_query(query, typing=False)]
