"""Which Meilisearch client methods the engine module calls, read from its source.

search/engines/meili.py reaches the server only through `self._client`,
`self._write_client`, `self._health_client` and `self._index(uid)` (its
docstring says so). Any attribute taken from one of those is a client method;
CLIENT_OPERATIONS maps each to the operations (and shapes) of the OpenAPI
document it sends, which the contract tests must all have exercised.
"""

import ast
from pathlib import Path

import meilisearch
from meilisearch.index import Index

from search.engines import meili

CLIENTS = ("_client", "_write_client", "_health_client")

CLIENT_OPERATIONS = {
    # Builds an Index object; no request.
    "index": set(),
    "health": {"GET /health"},
    "get_raw_index": {"GET /indexes/{index_uid}"},
    "create_index": {"POST /indexes"},
    "delete_index": {"DELETE /indexes/{index_uid}"},
    "swap_indexes": {
        "POST /swap-indexes [swap]",
        "POST /swap-indexes [rename]",
    },
    "get_task": {"GET /tasks/{task_id}"},
    "multi_search": {
        "POST /multi-search [federated]",
        "POST /multi-search [non-federated]",
    },
    "update_settings": {"PATCH /indexes/{index_uid}/settings"},
    "add_documents_raw": {"POST /indexes/{index_uid}/documents"},
    "delete_documents": {"POST /indexes/{index_uid}/documents/delete"},
    "get_documents": {
        "POST /indexes/{index_uid}/documents/fetch [paginated]",
        "POST /indexes/{index_uid}/documents/fetch [by ids]",
    },
}


def _is_client(node: ast.AST) -> bool:
    """self._client, self._write_client, self._health_client or self._index(...)."""
    if isinstance(node, ast.Attribute) and node.attr in CLIENTS:
        return isinstance(node.value, ast.Name) and node.value.id == "self"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        func = node.func
        return (
            func.attr == "_index"
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
        )
    return False


def engine_source() -> str:
    return Path(meili.__file__).read_text(encoding="utf-8")


def client_methods(source: str | None = None) -> set[str]:
    """Client methods the engine calls, and any way of reaching a client that
    this reading would miss (reported as "<unchecked use …>")."""
    tree = ast.parse(source if source is not None else engine_source())
    found = set()
    receivers = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_client(node.value):
            found.add(node.attr)
            receivers.add(id(node.value))
    for node in ast.walk(tree):
        if _is_client(node) and id(node) not in receivers:
            # A client kept in a variable, passed along, or assigned: only the
            # constructor may do that.
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                continue
            if isinstance(node, ast.Call):
                # `self._index(...)` returned from `_index` itself is fine only
                # as a receiver; anything else escapes the reading.
                found.add(f"<unchecked use at line {node.lineno}>")
            else:
                found.add(f"<unchecked use of {node.attr} at line {node.lineno}>")
    return found


def known_client_methods() -> set[str]:
    names = set()
    for cls in (meilisearch.Client, Index):
        names.update(n for n in dir(cls) if not n.startswith("_"))
    return names
