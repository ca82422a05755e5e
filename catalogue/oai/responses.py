"""The XML of OAI-PMH responses, written as parts of bytes.

Every response is an <OAI-PMH> envelope (responseDate, request, then the
verb's element or errors) that validates against the protocol's schema. The
records' metadata comes from catalogue/oai/metadata.py as bytes and is written
as it is, so a finding aid streams through without being held.

Text goes through `exports.xml_text` (characters XML cannot carry are left
out) and is escaped here, once.
"""

from xml.sax.saxutils import escape, quoteattr

from .. import exports
from .datestamps import utc

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
CONTENT_TYPE = "text/xml; charset=utf-8"


def text(value):
    return escape(exports.xml_text(value))


def attributes(values):
    return "".join(
        f" {name}={quoteattr(exports.xml_text(value))}"
        for name, value in values.items()
    )


def element(name, value, **attrs):
    return f"<{name}{attributes(attrs)}>{text(value)}</{name}>"


def envelope(now, base_url, echoed, body):
    """The whole response: `echoed` the request's arguments as <request>
    shows them ({} after badVerb or badArgument), `body` parts of bytes."""
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" '
        f'xmlns:xsi="{exports.XSI_NS}" '
        f'xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">'
        f"<responseDate>{utc(now)}</responseDate>"
        f"<request{attributes(echoed)}>{text(base_url)}</request>"
    ).encode()
    yield from body
    yield b"</OAI-PMH>\n"


def errors(*found):
    """<error> elements for OAIErrors."""
    yield "".join(element("error", e.message, code=e.code) for e in found).encode()


def identify(*, name, base_url, email, earliest, domain, sample):
    description = ""
    if domain:
        description = (
            "<description>"
            f'<oai-identifier xmlns="{IDENTIFIER_NS}" '
            f'xmlns:xsi="{exports.XSI_NS}" '
            f'xsi:schemaLocation="{IDENTIFIER_NS} {IDENTIFIER_SCHEMA}">'
            "<scheme>oai</scheme>"
            f"{element('repositoryIdentifier', domain)}"
            "<delimiter>:</delimiter>"
            f"{element('sampleIdentifier', sample)}"
            "</oai-identifier></description>"
        )
    yield (
        "<Identify>"
        f"{element('repositoryName', name)}"
        f"{element('baseURL', base_url)}"
        "<protocolVersion>2.0</protocolVersion>"
        f"{element('adminEmail', email)}"
        f"{element('earliestDatestamp', utc(earliest))}"
        "<deletedRecord>persistent</deletedRecord>"
        "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
        f"{description}"
        "</Identify>"
    ).encode()


def metadata_formats(formats):
    yield (
        "<ListMetadataFormats>"
        + "".join(
            "<metadataFormat>"
            f"{element('metadataPrefix', f.prefix)}"
            f"{element('schema', f.schema)}"
            f"{element('metadataNamespace', f.namespace)}"
            "</metadataFormat>"
            for f in formats
        )
        + "</ListMetadataFormats>"
    ).encode()


def sets(found, token):
    yield (
        "<ListSets>"
        + "".join(
            f"<set>{element('setSpec', s.spec)}{element('setName', s.name)}</set>"
            for s in found
        )
        + resumption_token(token)
        + "</ListSets>"
    ).encode()


def header(item):
    status = ' status="deleted"' if item.deleted else ""
    specs = "".join(element("setSpec", spec) for spec in item.set_specs)
    return (
        f"<header{status}>{element('identifier', item.identifier)}"
        f"{element('datestamp', utc(item.datestamp))}{specs}</header>"
    )


def identifiers(items, token):
    yield (
        "<ListIdentifiers>"
        + "".join(header(item) for item in items)
        + resumption_token(token)
        + "</ListIdentifiers>"
    ).encode()


def records(verb, items, render, token=None):
    """<GetRecord> or <ListRecords>: `render(item)` gives the metadata of an
    item that is not deleted, as parts of bytes."""
    yield f"<{verb}>".encode()
    for item in items:
        if item.deleted:
            yield f"<record>{header(item)}</record>".encode()
            continue
        yield f"<record>{header(item)}<metadata>".encode()
        yield from render(item)
        yield b"</metadata></record>"
    yield f"{resumption_token(token)}</{verb}>".encode()


def resumption_token(token):
    """The <resumptionToken> of a list in parts (an empty one on its last
    part); nothing for a list that came whole. `token`: (value or "",
    expires or None, cursor, complete list size)."""
    if token is None:
        return ""
    value, expires, cursor, size = token
    shown = {}
    if expires is not None:
        shown["expirationDate"] = utc(expires)
    shown["completeListSize"] = str(size)
    shown["cursor"] = str(cursor)
    return f"<resumptionToken{attributes(shown)}>{text(value)}</resumptionToken>"
