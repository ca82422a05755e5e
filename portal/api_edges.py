"""The edges of the portal's public JSON: CORS, preflight, 405, HEAD.

The search API (/api/search), the health check (/healthz) and the JSON the
catalogue serves below a record's permalink (record.json, IIIF manifests,
collections and image information, and the IIIF images a viewer on another
site draws) are read-only public data: any site may read them, without
credentials. One middleware, early in the chain, gives them all the same
edges, so no view repeats them:

- GET and HEAD pass to the view; the answer says Access-Control-Allow-Origin: *
  (errors too: a client on another site can read why it was refused);
- OPTIONS, a CORS preflight, is answered 204 with the methods and headers a
  reader may use;
- any other method is answered 405 with an Allow header and a JSON body,
  before CSRF protection (which would answer a form's HTML error page) or the
  view run.

Never Access-Control-Allow-Credentials: nothing here depends on who asks.
HEAD is answered as GET without a body by Django's handlers and the WSGI
server; the views accept it (require_safe).
"""

import json
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW = ", ".join(ALLOWED_METHODS)
# What a reader's script may send: content negotiation and revalidation.
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Content-Language, Content-Type, "
    "If-Modified-Since, If-None-Match, Range"
)
PREFLIGHT_SECONDS = 86400

_LANGUAGES = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
PUBLIC_PATHS = re.compile(
    r"^/(?:api/search|healthz)$"
    # Below a catalogue page in any language: a record's JSON, IIIF below it.
    rf"|^/(?:{_LANGUAGES})/(?:[^/]+/)+(?:[^/]+\.json/?|iiif/.*)$"
)


def is_public_json(path):
    return PUBLIC_PATHS.match(path) is not None


class PublicApiMiddleware:
    """Placed before the page cache, sessions and CSRF: see the module."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_json(request.path_info):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in ALLOWED_METHODS:
            return not_allowed(request.method)
        response = self.get_response(request)
        if "Access-Control-Allow-Origin" not in response:
            response["Access-Control-Allow-Origin"] = "*"
        return response


def preflight():
    response = HttpResponse(status=204)
    response["Allow"] = ALLOW
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOW
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
    return response


def not_allowed(method):
    body = {
        "error": "method_not_allowed",
        "message": _("%(method)s is not allowed here: use GET, HEAD or OPTIONS.")
        % {"method": method[:20]},
        "allowed": list(ALLOWED_METHODS),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=405,
    )
    response["Allow"] = ALLOW
    response["Access-Control-Allow-Origin"] = "*"
    return response
