"""Environment for the test run, set before Django reads its settings.

Loaded as a pytest plugin (`-p tests.environment`) so it runs before
pytest-django imports portal.settings. Only defaults: the caller's DATABASE_URL
(the PostgreSQL run) wins.
"""

import os
import secrets
import tempfile

_scratch = tempfile.mkdtemp(prefix="portal-test-")

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("MEDIA_ROOT", os.path.join(_scratch, "media"))
os.environ.setdefault("STATIC_ROOT", os.path.join(_scratch, "static"))
os.environ.setdefault("SEARCH_LOCAL_PATH", os.path.join(_scratch, "search"))
os.environ.setdefault("CATALOGUE_FILES_ROOT", os.path.join(_scratch, "catalogue-files"))
os.environ.setdefault("IMPORTS_ROOT", os.path.join(_scratch, "imports"))
# Pages are rendered for every request, so tests see (and count) the rendering;
# tests/test_page_cache.py switches the page cache on for itself.
os.environ.setdefault("PAGE_CACHE", "false")
# Every test runs on the local engine; a Meilisearch server named in the
# environment is kept for tests/test_meilisearch_live.py alone.
_meilisearch = os.environ.pop("MEILISEARCH_URL", None)
if _meilisearch:
    os.environ.setdefault("PORTAL_TEST_MEILISEARCH_URL", _meilisearch)
