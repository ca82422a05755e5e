from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class EngineHealth:
    engine: str
    ok: bool
    detail: str = ""


class SearchEngine(ABC):
    """What every public search engine offers the portal.

    Indexing and searching are added with the catalogue's search (see the
    issues); health comes first because operators need it from day one.
    """

    name: str

    @abstractmethod
    def health(self) -> EngineHealth:
        """Whether the engine can be used now, without raising."""
