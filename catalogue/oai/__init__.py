"""The open catalogue as an OAI-PMH 2.0 data provider, at /oai.

National portals and library catalogues harvest the catalogue from here. What
each module does:

- `views`: the endpoint and the six verbs;
- `protocol`: the requests it answers (verbs, arguments, their syntax) and the
  protocol's errors;
- `responses`: the XML of a response, written as it is sent;
- `identifiers`: oai identifiers of records and the setSpecs of sets;
- `listing`: the lists of records a harvest pages through (public records and
  tombstones), by keyset on (repository, datestamp, id);
- `sets`: the sets of ListSets;
- `tokens`: signed, stateless resumption tokens;
- `metadata`: the formats (oai_dc, ead) and the records' permalinks;
- `datestamps`: when a record changed for a harvester, and UTC dates;
- `tombstones`: the records that have left the public, reported as deleted;
- `conf`: page sizes and the tokens' lifetime.

Every record comes through `Record.objects.public()`, the archive's one gate;
a tombstone carries a record's identifier, datestamp and sets, never any of its
description (docs/harvesting.md).
"""
