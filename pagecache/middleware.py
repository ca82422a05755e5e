"""A page cache for anonymous visitors that never outlives a record's publication.

Placed early in the middleware chain (after security and static files), it
answers a hit before sessions, authentication, locale and the page's own view
run. What it stores and serves:

- only GET and HEAD requests without a session cookie and without an
  Authorization header: an editor's or a logged-in visitor's request is never
  answered from the cache and never stored;
- only responses of the site's pages (Wagtail's page view: every page and
  every record page) with status 200, 301, 302 or 404, that set no cookie, are
  not streamed, and do not forbid caching themselves (private, no-cache,
  no-store: the exports, files and page texts of records keep checking the
  gate on every request);
- under a key made of the publication generation (pagecache.models), today's
  date (records open by date at midnight), the URL with its query string and
  whatever the response varies on. Any change that can alter a public page
  moves the generation, so pages rendered before it are never found again by
  any process; the time to live (PAGE_CACHE_SECONDS) bounds how long anything
  else (a saved search's new matches) can be stale.

Browsers and shared caches are told to revalidate every time (no-cache, with an
ETag), so nothing outside the portal keeps a page after its record closed; a
revalidation is answered 304 from the cache.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import (
    cc_delim_re,
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
)

from .models import Generation

STORED_STATUSES = {200, 301, 302, 404}
# The views whose responses may be stored: Wagtail's page view, under the
# names portal/urls.py gives it. Search results, the API and the admin are not.
CACHED_VIEWS = {"wagtail_serve", "wagtail_serve_catalogue"}
REFUSING = {"private", "no-cache", "no-store"}
# Headers of a stored response that describe one delivery, not the page.
NOT_STORED_HEADERS = {"set-cookie", "date", "age"}
HIT = "hit"
MISS = "miss"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE_ENABLED
        self.seconds = settings.PAGE_CACHE_SECONDS
        self.cache = caches[settings.PAGE_CACHE_ALIAS]
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not self.enabled or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if self.session_cookie in request.COOKIES or (
            "HTTP_AUTHORIZATION" in request.META
        ):
            return private(self.get_response(request))

        prefix = key_prefix()
        key = get_cache_key(request, prefix, "GET", cache=self.cache)
        if key is not None:
            stored = self.cache.get(key)
            if stored is not None:
                return answer(request, stored)

        response = self.get_response(request)
        if request.method == "GET" and storable(request, response):
            entry = freeze(response)
            key = learn_cache_key(request, response, self.seconds, prefix, self.cache)
            self.cache.set(key, entry, self.seconds)
            response["ETag"] = entry[2]["ETag"]
            response["Cache-Control"] = entry[2]["Cache-Control"]
            response["X-Page-Cache"] = MISS
        return response


def key_prefix():
    """The part of every key that a publication change or a new day moves on."""
    return (
        f"{settings.PAGE_CACHE_KEY_PREFIX}:{Generation.current()}:"
        f"{timezone.localdate().isoformat()}"
    )


def storable(request, response):
    match = request.resolver_match
    if match is None or match.url_name not in CACHED_VIEWS:
        return False
    if response.status_code not in STORED_STATUSES or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part
    }
    return not control & REFUSING


def freeze(response):
    """What is kept of a response: status, body, headers (with ETag, Cache-Control)."""
    content = response.content
    headers = {
        name: value
        for name, value in response.items()
        if name.lower() not in NOT_STORED_HEADERS
    }
    headers.setdefault("ETag", f'"{hashlib.md5(content).hexdigest()}"')  # noqa: S324 — a fingerprint
    headers["Cache-Control"] = revalidate(response.get("Cache-Control", ""))
    return (response.status_code, content, headers)


def revalidate(control):
    """Keep the view's directives, and make every cache ask again each time."""
    parts = [part for part in cc_delim_re.split(control) if part]
    names = {part.split("=", 1)[0].strip().lower() for part in parts}
    if "no-cache" not in names:
        parts.append("no-cache")
    return ", ".join(parts)


def answer(request, stored):
    status, content, headers = stored
    etag = headers.get("ETag")
    if status == 200 and etag and etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = headers["Cache-Control"]
    else:
        response = HttpResponse(b"" if request.method == "HEAD" else content)
        response.status_code = status
        for name, value in headers.items():
            response[name] = value
        if request.method == "HEAD":
            response["Content-Length"] = str(len(content))
    response["X-Page-Cache"] = HIT
    return response


def private(response):
    """A response rendered for someone: no shared cache may keep it."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    return response
