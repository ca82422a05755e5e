"""The portal's public address, for every absolute URL it hands out.

Sitemaps, robots.txt, feeds and the pages' metadata (Open Graph, JSON-LD) name
the portal by absolute URLs that crawlers and other sites keep. They are built
from configuration, never from the Host header of the request that asked: a
request to 127.0.0.1 behind a proxy must not teach a search engine "localhost".

The default Wagtail site is at settings.WAGTAILADMIN_BASE_URL (README: the
portal's public address). Another site of the platform (a district archive
with a host name of its own) is at its own root URL, as editors set it in the
admin.
"""

from django.conf import settings
from wagtail.models import Site


def base_url(site=None):
    """Scheme and host (and port) of a site, without a trailing slash."""
    if site is not None and not site.is_default_site:
        return site.root_url.rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(path, site=None):
    """An absolute URL for a path on the site (already absolute: unchanged)."""
    if path.startswith(("http://", "https://")):
        return path
    return base_url(site) + "/" + path.lstrip("/")


def site_of(request):
    """The Wagtail site a request is for: the default site when none matches."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site


def page_url(page, request=None):
    """A page's absolute URL on its site's public address ("" when not routable)."""
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    site_id, _root_url, path = parts
    site = site_of(request)
    if site is None or site.pk != site_id:
        site = Site.objects.filter(pk=site_id).first()
    return absolute(path, site)
