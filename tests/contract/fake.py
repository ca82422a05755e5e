"""A Meilisearch that answers from memory and holds both sides to the contract.

Every request the engine sends is matched to an operation of the OpenAPI
document and validated by openapi-core (path, query, headers, body); every
answer, stateful or canned by a test, is validated against the document's
response schema before the client sees it. A request the document does not
describe, or that this fake does not implement, fails the test at once.

Writes are tasks, as on a real server: they are enqueued (202) and carried
out when the engine polls GET /tasks/{uid}. Searches are not computed: a test
answers them with `on_search`, using `federated_answer`/`search_result`.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import requests
import responses
from openapi_core.contrib.requests import (
    RequestsOpenAPIRequest,
    RequestsOpenAPIResponse,
)

from . import spec

# Operations (and variants) exercised by any test in this session, for the
# coverage test: "METHOD /path/template" or "METHOD /path/template [variant]".
EXERCISED: set[str] = set()


class ContractViolation(AssertionError):
    """A request or an answer that the OpenAPI document does not allow."""


class TaskError(Exception):
    """A task the engine would accept and then fail."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Call:
    method: str
    operation: str  # "METHOD /template"
    path: str
    query: dict
    body: object
    status: int
    answer: object
    variant: str = ""


@dataclass
class FakeIndex:
    uid: str
    primary_key: str | None = None
    documents: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    created_at: str = ""


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def error_body(code: str, message: str, kind: str = "invalid_request") -> dict:
    return {
        "message": message,
        "code": code,
        "type": kind,
        "link": f"https://docs.meilisearch.com/errors#{code}",
    }


# Canned search answers --------------------------------------------------------------


def hit(index_uid: str, document: dict, formatted: dict | None = None, score=0.5):
    """One hit of a federated answer."""
    return {
        **document,
        "_formatted": formatted if formatted is not None else dict(document),
        "_federation": {
            "indexUid": index_uid,
            "queriesPosition": 0,
            "weightedRankingScore": score,
        },
    }


def federated_answer(hits=(), total=None, facets=None, page=1, hits_per_page=20):
    answer = {
        "hits": list(hits),
        "processingTimeMs": 1,
        "page": page,
        "hitsPerPage": hits_per_page,
        "totalHits": len(hits) if total is None else total,
        "totalPages": 0,
    }
    if hits_per_page:
        answer["totalPages"] = -(-answer["totalHits"] // hits_per_page)
    if facets is not None:
        answer["facetDistribution"] = facets
        answer["facetStats"] = {}
    return answer


def search_result(index_uid: str, total=0, facets=None, query=""):
    """One result of a non-federated multi-search (hitsPerPage 0)."""
    result = {
        "indexUid": index_uid,
        "hits": [],
        "query": query,
        "processingTimeMs": 0,
        "hitsPerPage": 0,
        "page": 1,
        "totalPages": 0,
        "totalHits": total,
    }
    if facets is not None:
        result["facetDistribution"] = facets
        result["facetStats"] = {}
    return result


def default_answer(body: dict) -> dict:
    """Nothing found, in the shape the request asks for."""
    federation = body.get("federation")
    if federation is not None:
        facets = {} if federation.get("facetsByIndex") else None
        return federated_answer(
            total=0,
            facets=facets,
            page=federation.get("page", 1),
            hits_per_page=federation.get("hitsPerPage", 20),
        )
    return {
        "results": [
            search_result(
                q["indexUid"],
                facets={f: {} for f in q["facets"]} if q.get("facets") else None,
                query=q.get("q") or "",
            )
            for q in body["queries"]
        ]
    }


# Meilisearch's filter strings, read as the engine reads them --------------------------


def _unescape_quoted(fragment: str) -> str:
    """filter-parser's quoted_by + unescaper, on the text between the quotes."""
    if '\\"' in fragment:
        fragment = fragment.replace('\\"', '"')
    out, i = [], 0
    simple = {
        "\\": "\\",
        '"': '"',
        "'": "'",
        "n": "\n",
        "r": "\r",
        "t": "\t",
        "0": "\0",
    }
    while i < len(fragment):
        char = fragment[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        if i + 1 >= len(fragment):
            raise ValueError("incomplete escape at the end of a value")
        follower = fragment[i + 1]
        if follower not in simple:
            raise ValueError(f"invalid escape \\{follower}")
        out.append(simple[follower])
        i += 2
    return "".join(out)


def read_filter(expression: str) -> tuple[str, list[str]]:
    """(the expression with each quoted value as $, the values unescaped)."""
    skeleton, values, i = [], [], 0
    while i < len(expression):
        char = expression[i]
        if char != '"':
            skeleton.append(char)
            i += 1
            continue
        j = i + 1
        while j < len(expression) and expression[j] != '"':
            j += 2 if expression[j] == "\\" else 1
        if j >= len(expression):
            raise ValueError(f"unclosed quote in {expression!r}")
        values.append(_unescape_quoted(expression[i + 1 : j]))
        skeleton.append("$")
        i = j + 1
    return "".join(skeleton), values


def _in_filter(expression: str) -> tuple[str, list]:
    """field and values of `field IN [...]`, the only filter deletes use."""
    skeleton, values = read_filter(expression)
    quoted = re.fullmatch(r"(\w+) IN \[\$(?:, \$)*\]", skeleton)
    if quoted:
        return quoted.group(1), values
    numbers = re.fullmatch(r"(\w+) IN \[(\d+(?:, \d+)*)\]", skeleton)
    if numbers:
        return numbers.group(1), [int(n) for n in numbers.group(2).split(", ")]
    raise ValueError(f"the fake reads only `field IN [...]`, not {expression!r}")


# The server ---------------------------------------------------------------------------


def _template_pattern(template: str) -> re.Pattern:
    return re.compile(
        "^" + re.sub(r"\\{[^}]+\\}", "([^/]+)", re.escape(template)) + "$"
    )


class FakeMeilisearch:
    def __init__(self, url: str = spec.SERVER):
        self.url = url
        self.indexes: dict[str, FakeIndex] = {}
        self.tasks: dict[int, dict] = {}
        self._effects: dict[int, object] = {}
        self._polls_left: dict[int, int | None] = {}
        self.calls: list[Call] = []
        self._task_script: list[dict] = []
        self._failures: dict[str, list] = {}
        self._search_answers: list = []
        self._routes = sorted(
            (
                (method, template, _template_pattern(template))
                for method, template in spec.operations()
            ),
            # Literal segments win over parameters (documents/fetch before
            # documents/{document_id}).
            key=lambda route: route[1].count("{"),
        )
        self._mock = None

    # Test controls -------------------------------------------------------------

    def on_search(self, answer):
        """Answer the next multi-search: a dict, a (status, body) pair, or a
        callable taking the request body and returning either."""
        self._search_answers.append(answer)

    def next_task(self, fail: tuple[str, str] | None = None, processing_polls=0):
        """Script the next task: fail it with (code, message), and/or keep it
        processing for a number of polls (None: forever)."""
        self._task_script.append({"fail": fail, "polls": processing_polls})

    def fail(self, operation: str, status: int | None = None, body=None, raises=None):
        """Answer the next call of `operation` ("METHOD /template") with an
        error status and body, or make it raise `raises` (a requests error)."""
        self._failures.setdefault(operation, []).append((status, body, raises))

    def add_index(self, uid: str, documents=(), primary_key="id"):
        index = FakeIndex(uid, primary_key, created_at=now())
        for document in documents:
            index.documents[str(document["id"])] = dict(document)
        self.indexes[uid] = index
        return index

    def calls_to(self, operation: str) -> list[Call]:
        return [call for call in self.calls if call.operation == operation]

    @property
    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    # Plumbing -------------------------------------------------------------------

    def __enter__(self):
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._mock.__enter__()
        pattern = re.compile(re.escape(self.url) + r"(/.*)?$")
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            self._mock.add_callback(method, pattern, callback=self._dispatch)
        return self

    def __exit__(self, *exc_info):
        self._mock.__exit__(*exc_info)
        self._mock = None

    def _route(self, method: str, path: str):
        for route_method, template, pattern in self._routes:
            if route_method == method:
                match = pattern.match(path)
                if match:
                    return template, match.groups()
        return None, ()

    def _dispatch(self, request: requests.PreparedRequest):
        parsed = urlparse(request.url)
        path = parsed.path
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        template, params = self._route(request.method, path)
        if template is None:
            raise ContractViolation(
                f"{request.method} {path}: no such operation in the OpenAPI document"
            )
        operation = f"{request.method} {template}"
        handler = HANDLERS.get(operation)
        if handler is None:
            raise ContractViolation(
                f"{operation}: the engine calls it, the fake lacks it"
            )
        problems = [
            str(error)[:500]
            for error in _iter_request_errors(RequestsOpenAPIRequest(request))
        ]
        if problems:
            raise ContractViolation(f"{operation} request: {problems}")
        body = _json_body(request)
        schema = spec.request_schema(request.method, template)
        unknown = spec.undocumented_keys(body, schema) if schema else []
        if unknown:
            raise ContractViolation(f"{operation} request: unknown fields {unknown}")
        failures = self._failures.get(operation)
        if failures:
            status, answer, raises = failures.pop(0)
            if raises is not None:
                self.calls.append(
                    Call(request.method, operation, path, query, body, 0, None)
                )
                raise raises
        else:
            status, answer = handler(self, params, query, body)
        variant = VARIANTS.get(operation, lambda body, query: "")(body, query)
        self._check_answer(request, operation, status, answer)
        self.calls.append(
            Call(request.method, operation, path, query, body, status, answer, variant)
        )
        EXERCISED.add(operation)
        if variant:
            EXERCISED.add(f"{operation} [{variant}]")
        headers = {"Content-Type": "application/json"}
        return status, headers, json.dumps(answer)

    def _check_answer(self, request, operation, status, answer):
        if status >= 400:
            problems = spec.errors(answer, "ResponseError")
        else:
            response = requests.Response()
            response.status_code = status
            response._content = json.dumps(answer).encode()
            response.headers["Content-Type"] = "application/json"
            problems = [
                str(error)[:500]
                for error in _iter_response_errors(
                    RequestsOpenAPIRequest(request), RequestsOpenAPIResponse(response)
                )
            ]
        if problems:
            raise ContractViolation(f"{operation} answer {status}: {problems}")

    # Tasks ---------------------------------------------------------------------------

    def enqueue(self, kind: str, index_uid: str | None, effect) -> tuple[int, dict]:
        uid = len(self.tasks)
        script = self._task_script.pop(0) if self._task_script else {}
        enqueued = now()
        self.tasks[uid] = {
            "uid": uid,
            "batchUid": None,
            "indexUid": index_uid,
            "status": "enqueued",
            "type": kind,
            "canceledBy": None,
            "details": {},
            "error": None,
            "duration": None,
            "enqueuedAt": enqueued,
        }
        fail = script.get("fail")
        if fail:

            def effect(code=fail[0], message=fail[1]):
                raise TaskError(code, message)

        self._effects[uid] = effect
        self._polls_left[uid] = script.get("polls", 0)
        summary = {
            "taskUid": uid,
            "indexUid": index_uid,
            "status": "enqueued",
            "type": kind,
            "enqueuedAt": enqueued,
        }
        return 202, summary

    def poll(self, uid: int) -> dict:
        task = self.tasks[uid]
        if task["status"] in ("enqueued", "processing"):
            left = self._polls_left[uid]
            if left is None or left > 0:
                if left is not None:
                    self._polls_left[uid] = left - 1
                task["status"] = "processing"
                # The document types startedAt as a string, never null.
                task["startedAt"] = now()
                return task
            try:
                self._effects[uid]()
            except TaskError as error:
                task["status"] = "failed"
                task["error"] = error_body(error.code, error.message)
            else:
                task["status"] = "succeeded"
            task["startedAt"] = task.get("startedAt") or now()
            task["finishedAt"] = now()
            task["duration"] = "PT0.001S"
        return task

    def index(self, uid: str) -> FakeIndex:
        if uid not in self.indexes:
            raise TaskError("index_not_found", f"Index `{uid}` not found.")
        return self.indexes[uid]


def _iter_request_errors(request):
    openapi = spec.openapi()
    return openapi.iter_request_errors(request)


def _iter_response_errors(request, response):
    return spec.openapi().iter_response_errors(request, response)


def _json_body(request):
    if not request.body:
        return None
    raw = request.body.decode() if isinstance(request.body, bytes) else request.body
    try:
        return json.loads(raw)
    except ValueError:
        return raw


# What the fake answers, by operation --------------------------------------------------


def _health(fake, params, query, body):
    return 200, {"status": "available"}


def _get_index(fake, params, query, body):
    index = fake.indexes.get(params[0])
    if index is None:
        return 404, error_body("index_not_found", f"Index `{params[0]}` not found.")
    return 200, {
        "uid": index.uid,
        "createdAt": index.created_at,
        "updatedAt": index.created_at,
        "primaryKey": index.primary_key,
    }


def _create_index(fake, params, query, body):
    uid = body["uid"]

    def effect():
        if uid in fake.indexes:
            raise TaskError("index_already_exists", f"Index `{uid}` already exists.")
        fake.add_index(uid, primary_key=body.get("primaryKey"))

    return fake.enqueue("indexCreation", uid, effect)


def _delete_index(fake, params, query, body):
    uid = params[0]

    def effect():
        fake.index(uid)
        del fake.indexes[uid]

    return fake.enqueue("indexDeletion", uid, effect)


def _update_settings(fake, params, query, body):
    uid = params[0]

    def effect():
        index = fake.indexes.get(uid) or fake.add_index(uid, primary_key=None)
        index.settings.update(body)

    return fake.enqueue("settingsUpdate", uid, effect)


def _add_documents(fake, params, query, body):
    uid = params[0]
    if not isinstance(body, list):
        return 400, error_body("malformed_payload", "The payload must be a JSON array.")

    def effect():
        index = fake.indexes.get(uid) or fake.add_index(
            uid, primary_key=query.get("primaryKey")
        )
        index.primary_key = index.primary_key or query.get("primaryKey")
        for document in body:
            if "id" not in document:
                raise TaskError("missing_document_id", "Document doesn't have an `id`.")
            index.documents[str(document["id"])] = document

    return fake.enqueue("documentAdditionOrUpdate", uid, effect)


def _delete_by_filter(fake, params, query, body):
    uid = params[0]
    try:
        attribute, values = _in_filter(body["filter"])
    except ValueError as error:
        return 400, error_body("invalid_document_filter", str(error))

    def effect():
        index = fake.index(uid)
        wanted = {str(value) for value in values}
        index.documents = {
            key: document
            for key, document in index.documents.items()
            if not _matches(document.get(attribute), wanted)
        }

    return fake.enqueue("documentDeletion", uid, effect)


def _matches(value, wanted: set[str]) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(str(v) in wanted for v in values if v is not None)


def _fetch_documents(fake, params, query, body):
    index = fake.indexes.get(params[0])
    if index is None:
        return 404, error_body("index_not_found", f"Index `{params[0]}` not found.")
    documents = list(index.documents.values())
    if body.get("ids") is not None:
        wanted = [str(i) for i in body["ids"]]
        documents = [index.documents[i] for i in wanted if i in index.documents]
    offset, limit = body.get("offset", 0), body.get("limit", 20)
    fields = body.get("fields")
    page = documents[offset : offset + limit]
    if fields is not None and fields != ["*"]:
        page = [{k: v for k, v in d.items() if k in fields} for d in page]
    return 200, {
        "results": page,
        "offset": offset,
        "limit": limit,
        "total": len(documents),
    }


def _swap(fake, params, query, body):
    def effect():
        for swap in body:
            first, second = swap["indexes"]
            if swap.get("rename"):
                index = fake.index(first)
                if second in fake.indexes:
                    raise TaskError(
                        "index_already_exists", f"Index `{second}` already exists."
                    )
                del fake.indexes[first]
                index.uid = second
                fake.indexes[second] = index
            else:
                a, b = fake.index(first), fake.index(second)
                a.uid, b.uid = second, first
                fake.indexes[first], fake.indexes[second] = b, a

    return fake.enqueue("indexSwap", None, effect)


def _get_task(fake, params, query, body):
    uid = int(params[0])
    if uid not in fake.tasks:
        return 404, error_body("task_not_found", f"Task `{uid}` not found.")
    return 200, fake.poll(uid)


def _multi_search(fake, params, query, body):
    answer = fake._search_answers.pop(0) if fake._search_answers else default_answer
    if callable(answer):
        answer = answer(body)
    if isinstance(answer, tuple):
        return answer
    return 200, answer


HANDLERS = {
    "GET /health": _health,
    "GET /indexes/{index_uid}": _get_index,
    "POST /indexes": _create_index,
    "DELETE /indexes/{index_uid}": _delete_index,
    "PATCH /indexes/{index_uid}/settings": _update_settings,
    "POST /indexes/{index_uid}/documents": _add_documents,
    "POST /indexes/{index_uid}/documents/delete": _delete_by_filter,
    "POST /indexes/{index_uid}/documents/fetch": _fetch_documents,
    "POST /swap-indexes": _swap,
    "GET /tasks/{task_id}": _get_task,
    "POST /multi-search": _multi_search,
}

# Shapes of one operation that the engine relies on separately.
VARIANTS = {
    "POST /multi-search": lambda body, query: (
        "federated" if (body or {}).get("federation") is not None else "non-federated"
    ),
    "POST /swap-indexes": lambda body, query: (
        "rename" if any(s.get("rename") for s in body or []) else "swap"
    ),
    "POST /indexes/{index_uid}/documents/fetch": lambda body, query: (
        "by ids" if (body or {}).get("ids") is not None else "paginated"
    ),
}
