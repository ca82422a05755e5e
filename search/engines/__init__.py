"""The public search engines behind one interface.

`get_engine()` is the only way the rest of the portal reaches an engine:
Meilisearch when MEILISEARCH_URL is set, the embedded local engine otherwise.
"""

from functools import cache

from django.conf import settings

from .base import EngineHealth, SearchEngine


@cache
def get_engine() -> SearchEngine:
    if settings.MEILISEARCH_URL:
        from .meili import MeilisearchEngine

        return MeilisearchEngine(
            url=settings.MEILISEARCH_URL,
            api_key=settings.MEILISEARCH_API_KEY or None,
            index_prefix=settings.MEILISEARCH_INDEX_PREFIX,
        )
    from .local import LocalEngine

    return LocalEngine(path=settings.SEARCH_LOCAL_PATH)


__all__ = ["EngineHealth", "SearchEngine", "get_engine"]
