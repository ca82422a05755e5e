"""The admin speaks the editor's language, whatever the browser asks for.

Wagtail renders an admin view in the preferred language of the editor's
account settings (wagtail.admin.localization.get_localized_response), but only
when the editor has one: an editor without a preference, or without a profile
yet, gets whatever LocaleMiddleware took from the browser's Accept-Language
or the language cookie. Here, below /admin/, the language is the editor's
preference or else the portal's own (LANGUAGE_CODE), never the browser's, so
Wagtail's override finds it active and every admin response (login page, JSON
catalogue, Content-Language header) agrees. Public pages keep the language of
their URL prefix: LocaleMiddleware has decided it and nothing here touches it.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.admin.localization import get_available_admin_languages


def admin_language(user):
    """The language of the admin for `user`: their preference when the admin
    offers it, else the portal's default."""
    profile = getattr(user, "wagtail_userprofile", None)
    preferred = (profile.preferred_language if profile else "").lower()
    permitted = {code.lower() for code, _name in get_available_admin_languages()}
    return preferred if preferred in permitted else settings.LANGUAGE_CODE


class AdminLanguageMiddleware:
    """Placed after AuthenticationMiddleware: it needs to know the editor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("wagtailadmin_home")):
            language = admin_language(request.user)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
