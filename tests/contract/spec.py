"""The OpenAPI document of Meilisearch v1.53, as the contract tests read it."""

import copy
import json
from functools import cache
from pathlib import Path

import jsonschema
from openapi_core import OpenAPI

# shared/ sits beside the checkout (see README.md).
SPEC_PATH = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "meilisearch"
    / "meilisearch-openapi.json"
)
# The document's own server: requests are validated against its paths there.
SERVER = "http://localhost:7700"


@cache
def raw_document() -> dict:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _patch(document: dict) -> dict:
    """The three known defects (shared/meilisearch/README.md), patched."""
    schemas = document["components"]["schemas"]
    # 1. LogMode's default "Human" is not in its own enum ("human", "json",
    #    "profile"): strict validation of the document itself fails.
    mode = schemas["GetLogs"]["properties"]["mode"]
    assert mode["default"] == "Human", "defect 1 is no longer in the document"
    mode["default"] = "human"
    # 2. AttributePatterns is described as {"patterns": [...]}, but the engine
    #    takes and returns a plain list of strings ("facets": ["fonds"]).
    assert schemas["AttributePatterns"]["required"] == ["patterns"], (
        "defect 2 is no longer in the document"
    )
    schemas["AttributePatterns"] = {
        "type": "array",
        "items": {"type": "string"},
        "description": "Attribute names or patterns (patched: a plain list).",
    }
    # 3. The /multi-search answer describes only the federated shape; without
    #    `federation` the engine answers {"results": [<search result>, ...]},
    #    which the document already names SearchResults.
    answer = document["paths"]["/multi-search"]["post"]["responses"]["200"]
    content = answer["content"]["application/json"]
    assert content["schema"] == {
        "$ref": "#/components/schemas/FederatedSearchResult"
    }, "defect 3 is no longer in the document"
    content["schema"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/FederatedSearchResult"},
            {"$ref": "#/components/schemas/SearchResults"},
        ]
    }
    return document


@cache
def document() -> dict:
    return _patch(copy.deepcopy(raw_document()))


@cache
def openapi() -> OpenAPI:
    """openapi-core's view of the patched document (validated on load)."""
    return OpenAPI.from_dict(copy.deepcopy(document()))


@cache
def _validator(name: str):
    schema = {
        "$ref": f"#/components/schemas/{name}",
        "components": document()["components"],
    }
    return jsonschema.Draft202012Validator(schema)


def errors(instance, schema_name: str) -> list[str]:
    """Why `instance` is not a valid `schema_name` of the document (empty: valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in _validator(schema_name).iter_errors(instance)
    ]


def operations() -> dict[tuple[str, str], dict]:
    """(METHOD, path template) -> operation, for every operation documented."""
    found = {}
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found[(method.upper(), path)] = operation
    return found


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def undocumented_keys(instance, schema: dict, path: str = "") -> list[str]:
    """Object keys the document does not describe, even where it leaves
    `additionalProperties` open: the engine refuses unknown fields (its
    deserializers deny them), so a misspelt setting would be an error there."""
    schema = _resolve(schema)
    found = []
    for branch in (
        schema.get("oneOf", []) + schema.get("anyOf", []) + schema.get("allOf", [])
    ):
        branch = _resolve(branch)
        if branch.get("type") != "null":
            found += undocumented_keys(instance, branch, path)
    if isinstance(instance, dict):
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, value in instance.items():
            if properties is not None and key in properties:
                found += undocumented_keys(value, properties[key], f"{path}/{key}")
            elif isinstance(extra, dict):
                found += undocumented_keys(value, extra, f"{path}/{key}")
            elif properties is not None and not extra:
                found.append(f"{path}/{key}")
    elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for position, value in enumerate(instance):
            found += undocumented_keys(value, schema["items"], f"{path}/{position}")
    return found


def request_schema(method: str, template: str) -> dict | None:
    operation = operations()[(method, template)]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return body["schema"] if body else None
