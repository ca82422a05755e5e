"""The sets of ListSets: each repository, and each fonds in it.

A repository is listed when it has public records, a fonds when it is public
(its top-level record passes the gate). Sets come in the order of their keys
(repository code, fonds reference code; the repository's own set first), a
page at a time by keyset.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from ..models import Record, Repository
from .identifiers import fonds_set, repository_set


@dataclass(frozen=True)
class Set:
    key: tuple  # (repository code, fonds reference code or "")
    spec: str
    name: str


def bilingual(chinese, english):
    return f"{chinese} / {english}" if english else chinese


class Sets:
    def __init__(self, today):
        self.today = today
        self.public = Record.objects.public(today=today)

    def repositories(self):
        with_public = Repository.objects.filter(
            Exists(self.public.filter(repository=OuterRef("pk")))
        )
        return sorted(with_public, key=lambda repository: repository.code)

    def count(self):
        return len(self.repositories()) + self.public.roots().count()

    def page(self, after, size):
        """Up to `size` sets after the key `after` (None: from the start), and
        whether more follow."""
        found = []
        wanted = size + 1
        for repository in self.repositories():
            code = repository.code
            if after is not None and code < after[0]:
                continue
            if after is None or code > after[0]:
                found.append(
                    Set(
                        (code, ""),
                        repository_set(code),
                        bilingual(repository.name, repository.name_en),
                    )
                )
            fonds = (
                self.public.roots()
                .filter(repository=repository)
                .order_by("reference_code")
                .only("reference_code", "title", "title_en")
            )
            if after is not None and code == after[0]:
                fonds = fonds.filter(reference_code__gt=after[1])
            for record in fonds[: wanted - len(found)]:
                found.append(
                    Set(
                        (code, record.reference_code),
                        fonds_set(code, record.reference_code),
                        bilingual(record.title, record.title_en),
                    )
                )
            if len(found) >= wanted:
                break
        return found[:size], len(found) > size


def load_key(data):
    """The key a token carries; ValueError if it is not one."""
    code, reference = data
    if not isinstance(code, str) or not isinstance(reference, str):
        raise ValueError(data)
    return (code, reference)
