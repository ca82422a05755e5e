"""How much one response holds and how long a resumption token lives.

Each value may be set in Django's settings under the name given (a test makes
the pages small); otherwise the default here applies.
"""

from django.conf import settings

DEFAULTS = {
    # oai_dc records of ListRecords per response.
    "OAI_RECORDS_PER_PAGE": 100,
    # ead records per response: each is a whole finding aid.
    "OAI_EAD_RECORDS_PER_PAGE": 10,
    "OAI_IDENTIFIERS_PER_PAGE": 500,
    "OAI_SETS_PER_PAGE": 500,
    "OAI_TOKEN_SECONDS": 24 * 60 * 60,
    # Identify's adminEmail; otherwise the archive settings' email.
    "OAI_ADMIN_EMAIL": "",
}


def value(name):
    return getattr(settings, name, DEFAULTS[name])
