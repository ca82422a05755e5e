"""Meilisearch's published API, checked without a server.

`spec` loads the OpenAPI document of the engine (shared/meilisearch/) with its
three known defects patched here and nowhere else; `fake` answers the
engine's requests like a Meilisearch server would, validating every request
and every answer against that document; `usage` finds which client calls the
engine module makes.
"""
