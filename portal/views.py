from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from search.engines import get_engine


@never_cache
@require_safe
def healthz(request):
    """Database and search-engine status for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "vendor": connection.vendor}
    except DatabaseError as error:
        database = {"ok": False, "vendor": connection.vendor, "error": str(error)}

    engine = get_engine().health()
    search = {"ok": engine.ok, "engine": engine.engine}
    if engine.detail:
        search["detail"] = engine.detail

    healthy = database["ok"] and search["ok"]
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": database,
            "search": search,
        },
        status=200 if healthy else 503,
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
