"""/robots.txt (RFC 9309): crawl the public site, not its machinery.

Allowed: every page, record and exhibition. Disallowed: the admin, the
search results in every language (they carry noindex as well: a result list
is not a page to be found by), the JSON API, the OAI-PMH endpoint (for
harvesters, who do not read robots.txt rules meant for crawlers) and the IIIF
image services below record permalinks (tiles by the million; the record
page is what a search engine should show). The sitemap is named on the
portal's configured public address, never on the Host the request used.
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from home import addresses


def disallowed_paths():
    paths = ["/admin/", "/api/", reverse("oai")]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("search"))
    # RFC 9309 wildcards: a record's image services, in every language.
    paths.append("/*/iiif/")
    return paths


def robots_txt(site):
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in disallowed_paths()]
    lines += ["", f"Sitemap: {addresses.absolute(reverse('sitemap'), site)}", ""]
    return "\n".join(lines)


@require_safe
def robots(request):
    body = robots_txt(addresses.site_of(request))
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
