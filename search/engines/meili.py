import meilisearch
from meilisearch.errors import MeilisearchError
from requests.exceptions import RequestException

from .base import EngineHealth, SearchEngine

# A health probe must answer a load balancer quickly, even when the engine hangs.
HEALTH_TIMEOUT_SECONDS = 2


class MeilisearchEngine(SearchEngine):
    name = "meilisearch"

    def __init__(self, url: str, api_key: str | None, index_prefix: str):
        self.url = url
        self.index_prefix = index_prefix
        self._health_client = meilisearch.Client(
            url, api_key, timeout=HEALTH_TIMEOUT_SECONDS
        )

    def health(self) -> EngineHealth:
        try:
            answer = self._health_client.health()
        except (MeilisearchError, RequestException, OSError) as error:
            return EngineHealth(self.name, False, type(error).__name__)
        status = answer.get("status") if isinstance(answer, dict) else None
        return EngineHealth(self.name, status == "available", str(status or ""))
