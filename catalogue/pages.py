"""The catalogue inside the Wagtail site: one routable page per language.

Records are data, not pages (DESIGN.md): this page renders them at permalinks
built from the repository code and the reference code,

    <catalogue page>/<repository code>/<reference code>/

so menus, locales and templates stay Wagtail's and the same record URL works
under /zh-hans/… and /en/…. Its exports, files and page texts hang below the
permalink. catalogue.views does the reading, always through the public gate.
"""

import functools
import json
from urllib.parse import quote

from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from home.models import BasePage

from . import exports, views
from .iiif import image_api, presentation, tiles
from .models import DigitalObject, Level

RECORD = r"^(?P<repository>[^/]+)/(?P<reference>[^/]+)/"
# What Django leaves unquoted in a reversed URL (django.urls.resolvers).
URL_SAFE = "!$&'()*+,;=/~:@"
# Levels whose EAD export is a finding aid of their public subtree; a file or an
# item has its Dublin Core and JSON instead (docs/catalogue.md).
EAD_LEVELS = {Level.FONDS, Level.SERIES}


def below_record(suffix, name):
    """A route at or below a record's permalink that finds the public record first.

    A withdrawn record answers 410 with a short explanation; anything else that
    is not public, or not there, answers 404. Another spelling of the reference
    code (full-width, lower case) is redirected to the one permalink. The method
    receives the record.
    """

    def decorator(method):
        @functools.wraps(method)
        def view(self, request, repository, reference, **kwargs):
            today = timezone.localdate()
            try:
                record = views.find_public_record(repository, reference, today)
            except views.RecordWithdrawn:
                return self.withdrawn_response(request)
            if record.reference_code != reference:
                rest = request.path.rsplit(f"/{repository}/{reference}/", 1)[-1]
                target = self.record_url(record, request, rest)
                if request.META.get("QUERY_STRING"):
                    target += "?" + request.META["QUERY_STRING"]
                return redirect(target, permanent=True)
            return method(self, request, record, today=today, **kwargs)

        return re_path(RECORD + suffix + "$", name=name)(view)

    return decorator


class CatalogueIndexPage(RoutablePageMixin, BasePage):
    """档案查询: the open catalogue's repositories, fonds and every public record."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("catalogue")

    # URLs -----------------------------------------------------------------

    def record_path(self, record, suffix=""):
        """The path of a record (or something below it) under this page.

        What reverse_subpage("record", …) gives, without running the URL
        resolver for each of the fifty children of a page: the codes quoted as
        Django quotes a reversed URL.
        """
        code, reference = record.repository.code, record.reference_code
        if "/" in code or "/" in reference or not code or not reference:
            raise NoReverseMatch(f"No permalink for {code!r} {reference!r}")
        return quote(f"{code}/{reference}/", safe=URL_SAFE) + suffix

    def record_url(self, record, request=None, suffix=""):
        return self.get_url(request) + self.record_path(record, suffix)

    def record_full_url(self, record, request, suffix=""):
        return request.build_absolute_uri(self.record_url(record, request, suffix))

    # The catalogue's front page ---------------------------------------------

    @path("", name="index")
    def index_route(self, request):
        return self.render(
            request,
            context_overrides={
                "repositories": views.repositories_with_fonds(timezone.localdate())
            },
        )

    # A record ---------------------------------------------------------------

    @below_record("", name="record")
    def record_page_route(self, request, record, today):
        return self.render(
            request,
            template="catalogue/record_page.html",
            context_overrides=self.record_context(request, record, today),
        )

    def record_context(self, request, record, today):
        images, other_files, has_text = views.digital_objects(record)
        for image in images:
            image.url = self.record_url(record, request, f"files/{image.image.number}/")
            if image.text_number is not None:
                image.text_url = self.record_url(
                    record, request, f"pages/{image.text_number}.txt"
                )
            if tiles.read_info(image.image) is not None:
                image.info_url = self.record_url(
                    record, request, f"iiif/{image.number}/info.json"
                )
        for item in other_files:
            item.public_url = self.record_url(record, request, f"files/{item.number}/")
        previous, following = views.siblings(record, today)
        exports_available = {
            "dc": self.record_url(record, request, "dc.xml"),
            "json": self.record_url(record, request, "record.json"),
        }
        if record.level in EAD_LEVELS:
            exports_available["ead"] = self.record_url(record, request, "ead.xml")
        return {
            "record": record,
            "repository": record.repository,
            "ancestors": views.public_ancestors(record, today),
            "children": views.children_page(record, request.GET, today),
            # (digitised, total) of the public items below a file, series or fonds.
            "digitised_items": (
                None
                if record.level == Level.ITEM
                else views.digitised_items(record, today)
            ),
            "previous_record": previous,
            "next_record": following,
            "viewer_pages": images,
            "iiif_manifest_url": (
                self.record_url(record, request, "manifest.json") if images else ""
            ),
            "other_files": other_files,
            "full_text_url": (
                self.record_url(record, request, "text.txt") if has_text else ""
            ),
            "permalink": self.record_full_url(record, request),
            "citation_zh": exports.citation_zh(record),
            "citation_en": exports.citation_en(record),
            "exports": exports_available,
            "catalogue_url": self.get_url(request),
            # For the language switcher: the same record under the translation.
            "subpage_path": self.record_path(record),
            # Record data is Chinese: mark it so on pages in other languages.
            "data_lang": "" if _page_is_chinese() else "zh-Hans",
        }

    def withdrawn_response(self, request):
        response = self.render(request, template="catalogue/record_withdrawn.html")
        response.status_code = 410
        return response

    # Exports ----------------------------------------------------------------

    @below_record(r"dc\.xml/", name="dublin_core")
    def dublin_core_route(self, request, record, today):
        parent_url = ""
        if record.parent_id:
            ancestors = views.public_ancestors(record, today)
            if ancestors:
                parent_url = self.record_full_url(ancestors[-1], request)
        body = exports.dublin_core(
            record, url=self.record_full_url(record, request), parent_url=parent_url
        )
        return _export(HttpResponse(body, content_type=XML), record, "dc.xml")

    @below_record(r"record\.json/", name="json")
    def json_route(self, request, record, today):
        ancestors = views.public_ancestors(record, today)
        images, other_files, has_text = views.digital_objects(record)
        files = [page.image for page in images] + other_files
        links = {
            "dublin_core": self.record_full_url(record, request, "dc.xml"),
        }
        if record.level in EAD_LEVELS:
            links["ead"] = self.record_full_url(record, request, "ead.xml")
        if has_text:
            links["full_text"] = self.record_full_url(record, request, "text.txt")
        if images:
            links["iiif_manifest"] = self.record_full_url(
                record, request, "manifest.json"
            )
        if presentation.has_collection(record):
            links["iiif_collection"] = self.record_full_url(
                record, request, "collection.json"
            )
        data = exports.record_json(
            record,
            url=self.record_full_url(record, request),
            ancestors=[(a, self.record_full_url(a, request)) for a in ancestors],
            digital_objects=[
                (item, self.record_full_url(record, request, f"files/{item.number}/"))
                for item in files
            ],
            links=links,
        )
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        return _export(response, record, "json")

    @below_record(r"ead\.xml/", name="ead")
    def ead_route(self, request, record, today):
        if record.level not in EAD_LEVELS:
            raise Http404
        base = self.get_url(request)

        def url(described):
            return request.build_absolute_uri(base + self.record_path(described))

        stream = exports.ead_document(record, url=url, today=today)
        return _export(
            StreamingHttpResponse(stream, content_type=XML), record, "ead.xml"
        )

    # Files and texts --------------------------------------------------------

    # A file by its place among the record's files (files/1/, files/2/, …):
    # never by its database id, which would tell how many objects exist.
    @below_record(r"files/(?P<number>[0-9]{1,9})/", name="digital_object")
    def digital_object_route(self, request, record, today, number):
        return views.digital_object_response(request, record, int(number))

    @below_record(r"pages/(?P<page_number>[0-9]{1,9})\.txt/", name="page_text")
    def page_text_route(self, request, record, today, page_number):
        return views.page_text_response(record, int(page_number))

    @below_record(r"text\.txt/", name="full_text")
    def full_text_route(self, request, record, today):
        return views.full_text_response(record)

    # IIIF (catalogue/iiif/, docs/iiif.md) -------------------------------------

    def iiif_url(self, request):
        def url(described, suffix=""):
            return self.record_full_url(described, request, suffix)

        return url

    def public_parent(self, record, today):
        ancestors = views.public_ancestors(record, today) if record.parent_id else []
        return ancestors[-1] if ancestors else None

    @below_record(r"manifest\.json/", name="iiif_manifest")
    def iiif_manifest_route(self, request, record, today):
        built = presentation.manifest(
            record,
            url=self.iiif_url(request),
            parent=self.public_parent(record, today),
        )
        if built is None:
            raise Http404
        return presentation.response(built)

    @below_record(
        r"collection(?:/(?P<part>[0-9]{1,6})|)\.json/", name="iiif_collection"
    )
    def iiif_collection_route(self, request, record, today, part=None):
        built = presentation.collection(
            record,
            url=self.iiif_url(request),
            today=today,
            parent=self.public_parent(record, today),
            part=int(part) if part else None,
        )
        if built is None:
            raise Http404
        return presentation.response(built)

    def page_image(self, record, page):
        return views.nth_digital_object(
            record, int(page), kind=DigitalObject.Kind.IMAGE
        )

    @below_record(r"iiif/(?P<page>[0-9]{1,6})/", name="iiif_image_service")
    def iiif_service_route(self, request, record, today, page):
        # The Image API's base URI: its description is at info.json.
        target = self.record_url(record, request, f"iiif/{int(page)}/info.json")
        response = image_api.public(HttpResponseRedirect(target))
        response.status_code = 303
        return response

    @below_record(r"iiif/(?P<page>[0-9]{1,6})/info\.json/", name="iiif_image_info")
    def iiif_info_route(self, request, record, today, page):
        service_id = self.record_full_url(record, request, f"iiif/{int(page)}")
        return image_api.info_response(
            request, self.page_image(record, page), service_id
        )

    @below_record(
        r"iiif/(?P<page>[0-9]{1,6})/(?P<region>[^/]+)/(?P<size>[^/]+)/"
        r"(?P<rotation>[^/]+)/(?P<quality>[^/.]+)\.(?P<extension>[^/.]+)/",
        name="iiif_image",
    )
    def iiif_image_route(self, request, record, today, page, **parameters):
        return image_api.image_response(
            request, self.page_image(record, page), **parameters
        )

    @below_record(r"iiif/.*", name="iiif_unknown")
    def iiif_unknown_route(self, request, record, today):
        # Anything else below iiif/ is an image request a level 0 server
        # does not have: the Image API's 404, not the site's page.
        return image_api.not_found()


XML = "application/xml; charset=utf-8"


def _export(response, record, extension):
    # Public metadata: any site may fetch it. Never cached, so a record that
    # leaves the public leaves with its exports.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    response["Content-Disposition"] = content_disposition_header(
        False, f"{record.reference_code}.{extension}"
    )
    return response


def _page_is_chinese():
    return (translation.get_language() or "").startswith("zh")
