"""The names a harvester knows records and sets by.

A record is `oai:<host>:<repository code>/<reference code>`, the host being
that of the portal's public address (settings.WAGTAILADMIN_BASE_URL): the same
reference code (档号) its permalink is built from, so the identifier never
changes. What the oai-identifier syntax does not allow (Chinese characters,
"·", a "/" or "%" in a repository code) is percent-encoded as UTF-8.

A set is one repository, `<repository code>`, or one fonds in it,
`<repository code>:<fonds reference code>`: OAI-PMH's hierarchy, so a harvest of
the repository's set takes its fonds with it. setSpecs allow fewer characters
still, and no "%": anything else is written "~" and two hex digits per UTF-8
byte ("~" itself too), which reads back unambiguously.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from home import addresses

from .. import reference

# What oai-identifier allows in the local part, besides letters and digits,
# less "/" (it parts the two codes) and "%" (it starts an escape).
_IDENTIFIER_SAFE = "-_.!~*'();?:@&=+$,"
_SET_PLAIN = re.compile(r"[A-Za-z0-9\-_.!*'()]")
_SET_ESCAPE = re.compile(r"~([0-9A-F]{2})")
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*$")
# The repositoryIdentifier of the oai-identifier scheme: a domain name.
_DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")


def host():
    return (urlsplit(addresses.base_url()).hostname or "").lower()


def is_domain_name(name):
    """Whether the host may be named in Identify's oai-identifier
    description (an address such as 127.0.0.1 may not)."""
    return bool(_DOMAIN.match(name))


def record_identifier(repository_code, reference_code):
    local = "/".join(
        quote(part, safe=_IDENTIFIER_SAFE) for part in (repository_code, reference_code)
    )
    return f"oai:{host()}:{local}"


@dataclass(frozen=True)
class Identified:
    repository_code: str
    reference_code: str  # normalised


def parse_identifier(identifier):
    """The record an identifier names, or None when it names none of ours."""
    prefix = f"oai:{host()}:"
    if identifier[: len(prefix)].lower() != prefix:
        return None
    repository, slash, code = identifier[len(prefix) :].partition("/")
    if not slash:
        return None
    repository, code = unquote(repository), unquote(code)
    try:
        return Identified(repository, reference.parse(code).code)
    except reference.InvalidReferenceCode:
        return None


def encode_set_part(text):
    out = []
    for char in text:
        if _SET_PLAIN.match(char):
            out.append(char)
        else:
            out.extend(f"~{byte:02X}" for byte in char.encode())
    return "".join(out)


def decode_set_part(text):
    """The text a setSpec part was made from; ValueError if none."""
    if "~" in _SET_ESCAPE.sub("", text):
        raise ValueError(text)
    # Runs of escapes are the UTF-8 bytes of one or more characters.
    return re.sub(
        r"(?:~[0-9A-F]{2})+",
        lambda found: bytes.fromhex(found.group().replace("~", "")).decode(),
        text,
    )


def repository_set(repository_code):
    return encode_set_part(repository_code)


def fonds_set(repository_code, fonds_reference):
    return f"{encode_set_part(repository_code)}:{encode_set_part(fonds_reference)}"


def set_specs(repository_code, fonds_reference):
    """The sets a record is in: its repository's, and its fonds' when it has
    one (a top-level record is its own fonds)."""
    specs = [repository_set(repository_code)]
    if fonds_reference:
        specs.append(fonds_set(repository_code, fonds_reference))
    return specs


@dataclass(frozen=True)
class SetSpec:
    repository_code: str
    fonds_reference: str = ""  # normalised; empty for a repository's set


def parse_set(spec):
    """The set a setSpec names, or None when it cannot name one of ours.

    The caller has checked the setSpec syntax.
    """
    parts = spec.split(":")
    if len(parts) > 2:
        return None
    try:
        decoded = [decode_set_part(part) for part in parts]
    except (ValueError, UnicodeDecodeError):
        return None
    if len(decoded) == 1:
        return SetSpec(decoded[0])
    try:
        return SetSpec(decoded[0], reference.parse(decoded[1]).code)
    except reference.InvalidReferenceCode:
        return None
