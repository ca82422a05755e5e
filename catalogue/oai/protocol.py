"""The OAI-PMH 2.0 requests this provider answers, and its errors.

A request is checked whole before anything is read from the database: its
verb, which arguments that verb takes, repeated or unknown ones, and the
syntax of each value. What fails here is badVerb or badArgument, answered
without echoing the arguments (the protocol's rule).
"""

import re
from dataclasses import dataclass, field

from . import datestamps
from .identifiers import SET_SPEC

BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"  # noqa: S105 (an error code)
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_METADATA_FORMATS = "noMetadataFormats"
NO_RECORDS_MATCH = "noRecordsMatch"
NO_SET_HIERARCHY = "noSetHierarchy"

METADATA_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
# An identifier echoed in <request identifier="…"> must be an xs:anyURI: what
# is not written with URI characters (and well-formed escapes) is echoed not.
_URI = re.compile(
    r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?"
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})+$"
)
MAX_ARGUMENT = 2000  # characters; longer values are not ours


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Verb:
    required: tuple = ()
    optional: tuple = ()
    # Takes a resumptionToken, which then comes alone.
    resumable: bool = False

    @property
    def allowed(self):
        extra = ("resumptionToken",) if self.resumable else ()
        return {*self.required, *self.optional, *extra}


LIST = Verb(
    required=("metadataPrefix",), optional=("from", "until", "set"), resumable=True
)
VERBS = {
    "Identify": Verb(),
    "ListMetadataFormats": Verb(optional=("identifier",)),
    "ListSets": Verb(resumable=True),
    "GetRecord": Verb(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": LIST,
    "ListRecords": LIST,
}


@dataclass(frozen=True)
class Request:
    verb: str
    arguments: dict = field(default_factory=dict)

    def echo(self):
        """The arguments as <request> repeats them: those that are of the
        syntax its schema gives them."""
        shown = {"verb": self.verb}
        for name, value in self.arguments.items():
            if name != "identifier" or _URI.match(value):
                shown[name] = value
        return shown


def parse(params):
    """The request of a QueryDict (GET or POST form data); OAIError if it is
    not one this provider can answer."""
    given = dict(params.lists())
    verbs = given.pop("verb", [])
    if len(verbs) != 1:
        raise OAIError(
            BAD_VERB, "The verb argument is missing." if not verbs else "Repeated verb."
        )
    verb = VERBS.get(verbs[0])
    if verb is None:
        raise OAIError(BAD_VERB, "Not an OAI-PMH verb.")
    repeated = sorted(name for name, values in given.items() if len(values) > 1)
    if repeated:
        raise OAIError(BAD_ARGUMENT, f"Repeated argument: {', '.join(repeated)}.")
    arguments = {name: values[0] for name, values in given.items()}
    unknown = sorted(set(arguments) - verb.allowed)
    if unknown:
        raise OAIError(
            BAD_ARGUMENT,
            f"Not an argument of {verbs[0]}: {', '.join(unknown)[:200]}.",
        )
    if any(len(value) > MAX_ARGUMENT for value in arguments.values()):
        raise OAIError(BAD_ARGUMENT, "An argument is too long.")
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError(BAD_ARGUMENT, "resumptionToken is an exclusive argument.")
        return Request(verbs[0], arguments)
    missing = [name for name in verb.required if name not in arguments]
    if missing:
        raise OAIError(BAD_ARGUMENT, f"Missing argument: {', '.join(missing)}.")
    check(arguments)
    return Request(verbs[0], arguments)


def check(arguments):
    """The syntax of each value, and from/until together."""
    prefix = arguments.get("metadataPrefix")
    if prefix is not None and not METADATA_PREFIX.match(prefix):
        raise OAIError(BAD_ARGUMENT, "metadataPrefix is not of the protocol's syntax.")
    spec = arguments.get("set")
    if spec is not None and not SET_SPEC.match(spec):
        raise OAIError(BAD_ARGUMENT, "set is not a setSpec.")
    bounds(arguments)


def bounds(arguments):
    """[lower, upper) of the datestamps from/until ask for, each None when
    not given; OAIError for dates of a wrong syntax or order."""
    moments = {}
    for name in ("from", "until"):
        if name in arguments:
            try:
                moments[name] = datestamps.parse(arguments[name])
            except datestamps.BadDate:
                raise OAIError(
                    BAD_ARGUMENT,
                    f"{name} is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).",
                ) from None
    lower = upper = None
    if "from" in moments:
        lower = moments["from"][0]
    if "until" in moments:
        moment, granularity = moments["until"]
        upper = datestamps.upper_bound(moment, granularity)
    if len(moments) == 2:
        if moments["from"][1] != moments["until"][1]:
            raise OAIError(
                BAD_ARGUMENT, "from and until are of different granularities."
            )
        if moments["from"][0] > moments["until"][0]:
            raise OAIError(BAD_ARGUMENT, "from is later than until.")
    return lower, upper
