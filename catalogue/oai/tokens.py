"""Resumption tokens: stateless, signed, good for a day.

A token carries all a list needs to go on: the verb, the arguments of the
request that began it, the key of the last item delivered (the list resumes
after it: keyset paging, never an offset), how many items came before and the
list's size as counted at its start. Nothing is kept on the server, so a
token works on any host of the portal and whatever changed since: an item
changed meanwhile has a later datestamp, so it comes again further on.

Signed with the portal's SECRET_KEY (django.core.signing): a token that was
altered, or is older than OAI_TOKEN_SECONDS, is refused as badResumptionToken.
"""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from . import conf

SALT = "catalogue.oai.resumption-token"
VERSION = 1


class BadToken(ValueError):
    pass


@dataclass(frozen=True)
class Resumption:
    verb: str
    arguments: dict  # the arguments of the request that began the list
    after: list  # the last key delivered, as the list dumped it
    cursor: int  # how many items came before this response
    size: int  # the complete list's size, as counted when it began


def lifetime():
    return datetime.timedelta(seconds=conf.value("OAI_TOKEN_SECONDS"))


def issue(resumption: Resumption) -> tuple[str, datetime.datetime]:
    """The token and when it expires."""
    value = signing.dumps(
        [
            VERSION,
            resumption.verb,
            resumption.arguments,
            resumption.after,
            resumption.cursor,
            resumption.size,
        ],
        salt=SALT,
        compress=True,
    )
    return value, timezone.now() + lifetime()


def read(value: str, verb: str) -> Resumption:
    """The resumption a token of `verb` stands for; BadToken otherwise."""
    try:
        data = signing.loads(value, salt=SALT, max_age=lifetime())
    except signing.SignatureExpired as error:
        raise BadToken("The resumptionToken has expired.") from error
    except (signing.BadSignature, ValueError) as error:
        raise BadToken("Not a resumptionToken of this repository.") from error
    try:
        version, token_verb, arguments, after, cursor, size = data
    except (TypeError, ValueError) as error:
        raise BadToken("Not a resumptionToken of this repository.") from error
    if version != VERSION or not isinstance(arguments, dict):
        raise BadToken("The resumptionToken is of an older kind.")
    if token_verb != verb:
        raise BadToken(f"The resumptionToken is not one of {verb}.")
    return Resumption(token_verb, arguments, after, cursor, size)
