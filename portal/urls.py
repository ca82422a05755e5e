from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from catalogue.oai import views as oai_views
from search import views as search_views

from . import views
from .seo import robots, sitemaps

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Outside i18n_patterns: crawlers look for them at the root (portal/seo/).
    path("robots.txt", robots.robots, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemaps/pages.xml", sitemaps.pages, name="sitemap_pages"),
    path(
        "sitemaps/records/<str:repository>.xml",
        sitemaps.records,
        name="sitemap_records",
    ),
    path("api/search", search_views.search_api, name="search_api"),
    path("oai", oai_views.endpoint, name="oai"),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Every public page carries its language in the URL: /zh-hans/… and /en/….
urlpatterns += i18n_patterns(
    path("search/", search_views.search_page, name="search"),
    path("", include("feeds.urls")),
    path("", include(wagtail_urls)),
    # Catalogue permalinks hold reference codes with "·", "." or brackets, and
    # their exports end in .xml, .json or .txt (IIIF tiles in .jpg): Wagtail's
    # [\w-]+/ pattern refuses both, so the same page-serving view gets a wider
    # pattern.
    re_path(
        r"^(?P<path>(?:[^/]+/)+(?:[^/]+\.(?:xml|json|txt|jpg))?)$",
        wagtail_views.serve,
        name="wagtail_serve_catalogue",
    ),
    prefix_default_language=True,
)
