"""A small stand-in for an Elasticsearch 8 server, for the official client in tests.

No Elasticsearch can run here, and mocking the client would test nothing of what goes over the
wire. This is an HTTP server on 127.0.0.1 (a thread, a free port) answering the endpoints the
search backend calls, with Elasticsearch 8's response shapes and the ``X-Elastic-Product`` header
the client checks. It records every request, keeps indices and aliases in memory, and evaluates
searches simply: ``bool``/``term``/``terms``/``range``/``exists``/``match_all`` exactly,
``multi_match`` as a case- and accent-insensitive substring match (no analyzers, no fuzziness),
``terms``/``range``/``filter`` aggregations, ``post_filter``, ``sort``, ``from``/``size``.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

CONTENT_TYPE = "application/vnd.elasticsearch+json;compatible-with=8"


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, list[str]]
    body: Any


@dataclass
class Index:
    name: str
    mappings: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    aliases: set[str] = field(default_factory=set)
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)


class ApiError(Exception):
    def __init__(self, status: int, kind: str, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.status, self.kind, self.reason, self.extra = status, kind, reason, extra

    def body(self) -> dict[str, Any]:
        cause = {"type": self.kind, "reason": self.reason, **self.extra}
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value).casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


class ElasticsearchStandIn:
    def __init__(self) -> None:
        self.indices: dict[str, Index] = {}
        self.requests: list[Recorded] = []
        self.lock = threading.RLock()
        self._seq = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- Life cycle ---------------------------------------------------------------------------

    def start(self) -> str:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One packet per response, sent at once (no 40 ms Nagle/delayed-ACK stalls).
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = standin.handle(self.command, self.path, raw)
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- Helpers for tests ----------------------------------------------------------------------

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def resolve(self, name: str) -> list[Index]:
        with self.lock:
            if name in self.indices:
                return [self.indices[name]]
            return [i for i in self.indices.values() if name in i.aliases]

    def docs(self, name: str) -> dict[str, dict[str, Any]]:
        targets = self.resolve(name)
        assert len(targets) == 1, f"{name} is {len(targets)} indices"
        return targets[0].docs

    # --- Dispatch -----------------------------------------------------------------------------

    def handle(self, method: str, target: str, raw: bytes) -> tuple[int, Any]:
        parts = urlsplit(target)
        path = unquote(parts.path)
        params = parse_qs(parts.query)
        is_bulk = path.rstrip("/").endswith("/_bulk")
        body: Any = None
        if raw:
            if is_bulk:
                body = [json.loads(line) for line in raw.splitlines() if line.strip()]
            else:
                body = json.loads(raw)
        with self.lock:
            self.requests.append(Recorded(method, path, params, body))
            try:
                return self._route(method, path, body)
            except ApiError as error:
                return error.status, error.body()

    def _route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        segments = [s for s in path.split("/") if s]
        if not segments:
            return 200, {
                "name": "standin",
                "cluster_name": "pasar-test",
                "cluster_uuid": "standin",
                "version": {"number": "8.15.0", "build_flavor": "default"},
                "tagline": "You Know, for Search",
            }
        if segments == ["_bulk"]:
            return self._bulk(None, body or [])
        if segments == ["_aliases"] and method in ("POST", "PUT"):
            return self._update_aliases(body or {})
        if segments[0] == "_alias" and len(segments) == 2:
            return self._get_alias(method, segments[1])
        index = segments[0]
        if len(segments) == 1:
            if method == "HEAD":
                return (200 if self.resolve(index) else 404), None
            if method == "PUT":
                return self._create(index, body or {})
            if method == "DELETE":
                return self._delete(index)
            if method == "GET":
                found = self._existing(index)
                return 200, {
                    i.name: {"aliases": {a: {} for a in i.aliases}, "mappings": i.mappings}
                    for i in found
                }
        action = segments[1]
        if action == "_bulk":
            return self._bulk(index, body or [])
        if action == "_refresh":
            self._existing(index)
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if action == "_search":
            return self._search(index, body or {})
        if action == "_count":
            query = (body or {}).get("query", {"match_all": {}})
            docs = [d for i in self._existing(index) for d in i.docs.values()]
            count = sum(1 for d in docs if self._score(d, query) is not None)
            return 200, {"count": count, "_shards": {"total": 1, "successful": 1, "failed": 0}}
        raise ApiError(400, "illegal_argument_exception", f"no handler for {method} {path}")

    # --- Indices and aliases ------------------------------------------------------------------

    def _existing(self, name: str) -> list[Index]:
        found = self.resolve(name)
        if not found:
            raise ApiError(404, "index_not_found_exception", f"no such index [{name}]", index=name)
        return found

    def _create(self, name: str, body: dict[str, Any]) -> tuple[int, Any]:
        if name in self.indices:
            raise ApiError(
                400,
                "resource_already_exists_exception",
                f"index [{name}/standin] already exists",
                index=name,
            )
        if any(name in i.aliases for i in self.indices.values()):
            raise ApiError(
                400, "invalid_index_name_exception", f"Invalid index name [{name}], an alias"
            )
        for alias in body.get("aliases", {}):
            if alias in self.indices:
                raise ApiError(
                    400,
                    "invalid_alias_name_exception",
                    f"an index or data stream exists with the same name as the alias [{alias}]",
                )
        self.indices[name] = Index(
            name=name,
            mappings=body.get("mappings", {}),
            settings=body.get("settings", {}),
            aliases=set(body.get("aliases", {})),
        )
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _delete(self, name: str) -> tuple[int, Any]:
        if name not in self.indices:
            raise ApiError(404, "index_not_found_exception", f"no such index [{name}]", index=name)
        del self.indices[name]
        return 200, {"acknowledged": True}

    def _get_alias(self, method: str, alias: str) -> tuple[int, Any]:
        found = [i for i in self.indices.values() if alias in i.aliases]
        if method == "HEAD":
            return (200 if found else 404), None
        if not found:
            return 404, {"error": f"alias [{alias}] missing", "status": 404}
        return 200, {i.name: {"aliases": {alias: {}}} for i in found}

    def _update_aliases(self, body: dict[str, Any]) -> tuple[int, Any]:
        # Validate everything first: Elasticsearch applies the actions atomically.
        actions = body.get("actions", [])
        for action in actions:
            ((kind, spec),) = action.items()
            if spec["index"] not in self.indices:
                raise ApiError(404, "index_not_found_exception", f"no such index [{spec['index']}]")
            if kind == "remove" and spec["alias"] not in self.indices[spec["index"]].aliases:
                raise ApiError(
                    404, "aliases_not_found_exception", f"aliases [{spec['alias']}] missing"
                )
        for action in actions:
            ((kind, spec),) = action.items()
            if kind == "add":
                self.indices[spec["index"]].aliases.add(spec["alias"])
            elif kind == "remove":
                self.indices[spec["index"]].aliases.discard(spec["alias"])
            elif kind == "remove_index":
                del self.indices[spec["index"]]
        return 200, {"acknowledged": True, "errors": False}

    def _write_target(self, name: str) -> Index:
        found = self.resolve(name)
        if not found:
            # Like Elasticsearch: writing to a missing index creates it (dynamic mapping).
            self.indices[name] = Index(name=name)
            return self.indices[name]
        if len(found) > 1:
            raise ApiError(
                400,
                "illegal_argument_exception",
                f"no write index is defined for alias [{name}]",
            )
        return found[0]

    # --- Documents ----------------------------------------------------------------------------

    def _bulk(self, default_index: str | None, lines: list[Any]) -> tuple[int, Any]:
        items, errors = [], False
        it = iter(lines)
        for header in it:
            ((op, meta),) = header.items()
            name = meta.get("_index", default_index)
            doc_id = str(meta["_id"])
            index = self._write_target(name)
            shards = {"total": 1, "successful": 1, "failed": 0}
            if op in ("index", "create"):
                source = next(it)
                existed = doc_id in index.docs
                index.docs[doc_id] = source
                index.versions[doc_id] = index.versions.get(doc_id, 0) + 1
                items.append(
                    {
                        op: {
                            "_index": index.name,
                            "_id": doc_id,
                            "_version": index.versions[doc_id],
                            "result": "updated" if existed else "created",
                            "_shards": shards,
                            "_seq_no": next(self._seq),
                            "_primary_term": 1,
                            "status": 200 if existed else 201,
                        }
                    }
                )
            elif op == "delete":
                existed = index.docs.pop(doc_id, None) is not None
                errors = errors or not existed
                items.append(
                    {
                        "delete": {
                            "_index": index.name,
                            "_id": doc_id,
                            "_version": index.versions.get(doc_id, 0) + 1,
                            "result": "deleted" if existed else "not_found",
                            "_shards": shards,
                            "_seq_no": next(self._seq),
                            "_primary_term": 1,
                            "status": 200 if existed else 404,
                        }
                    }
                )
            else:
                raise ApiError(400, "illegal_argument_exception", f"unsupported bulk op {op}")
        return 200, {"took": 1, "errors": errors, "items": items}

    # --- Search -------------------------------------------------------------------------------

    def _search(self, name: str, body: dict[str, Any]) -> tuple[int, Any]:
        indices = self._existing(name)
        scored = []
        for index in indices:
            for doc_id, doc in index.docs.items():
                score = self._score(doc, body.get("query", {"match_all": {}}))
                if score is not None:
                    scored.append((index.name, doc_id, doc, score))
        aggregations = {
            key: self._aggregate([s[2] for s in scored], spec)
            for key, spec in (body.get("aggregations") or body.get("aggs") or {}).items()
        }
        post = body.get("post_filter")
        if post:
            scored = [s for s in scored if self._score(s[2], post) is not None]
        scored = self._sorted(scored, body.get("sort") or ["_score"])
        start, size = int(body.get("from", 0)), int(body.get("size", 10))
        hits = []
        for index_name, doc_id, doc, score in scored[start : start + size]:
            hit: dict[str, Any] = {"_index": index_name, "_id": doc_id, "_score": score}
            if body.get("_source", True) is not False:
                hit["_source"] = doc
            hits.append(hit)
        response: dict[str, Any] = {
            "took": 1,
            "timed_out": False,
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {
                "total": {"value": len(scored), "relation": "eq"},
                "max_score": max((s[3] for s in scored), default=None),
                "hits": hits,
            },
        }
        if aggregations:
            response["aggregations"] = aggregations
        return 200, response

    @staticmethod
    def _values(doc: dict[str, Any], field_name: str) -> list[Any]:
        value = doc.get(field_name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def _score(self, doc: dict[str, Any], query: dict[str, Any]) -> float | None:
        """The document's score for ``query``, or ``None`` when it does not match."""
        ((kind, spec),) = query.items()
        if kind == "match_all":
            return 1.0
        if kind == "bool":
            total = 0.0
            for clause in _listed(spec.get("must")):
                score = self._score(doc, clause)
                if score is None:
                    return None
                total += score
            for clause in _listed(spec.get("filter")):
                if self._score(doc, clause) is None:
                    return None
            for clause in _listed(spec.get("must_not")):
                if self._score(doc, clause) is not None:
                    return None
            should = [self._score(doc, c) for c in _listed(spec.get("should"))]
            matched = [s for s in should if s is not None]
            required = spec.get(
                "minimum_should_match",
                1 if should and not (spec.get("must") or spec.get("filter")) else 0,
            )
            if len(matched) < int(required):
                return None
            return total + sum(matched) or 1.0
        if kind == "term":
            ((name, value),) = spec.items()
            value = value["value"] if isinstance(value, dict) else value
            return 1.0 if value in self._values(doc, name) else None
        if kind == "terms":
            ((name, values),) = spec.items()
            return 1.0 if set(values) & set(self._values(doc, name)) else None
        if kind == "exists":
            return 1.0 if self._values(doc, spec["field"]) else None
        if kind == "range":
            ((name, bounds),) = spec.items()
            return 1.0 if any(_in_range(v, bounds) for v in self._values(doc, name)) else None
        if kind == "multi_match":
            words = _fold(spec["query"]).split()
            score = 0.0
            for field_spec in spec["fields"]:
                name, _, boost = field_spec.partition("^")
                haystack = " ".join(_fold(v) for v in self._values(doc, name))
                if any(word in haystack for word in words):
                    score += float(boost or 1)
            return score or None
        raise ApiError(400, "parsing_exception", f"unknown query [{kind}]")

    def _aggregate(self, docs: list[dict[str, Any]], spec: dict[str, Any]) -> dict[str, Any]:
        subaggs = spec.get("aggs") or spec.get("aggregations") or {}
        if "filter" in spec:
            kept = [d for d in docs if self._score(d, spec["filter"]) is not None]
            return {
                "doc_count": len(kept),
                **{key: self._aggregate(kept, sub) for key, sub in subaggs.items()},
            }
        if "terms" in spec:
            name = spec["terms"]["field"]
            counts: dict[Any, int] = {}
            for doc in docs:
                for value in set(map(_hashable, self._values(doc, name))):
                    counts[value] = counts.get(value, 0) + 1
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            size = int(spec["terms"].get("size", 10))
            buckets = []
            for key, count in ordered[:size]:
                if isinstance(key, bool):
                    buckets.append(
                        {"key": int(key), "key_as_string": str(key).lower(), "doc_count": count}
                    )
                else:
                    buckets.append({"key": key, "doc_count": count})
            return {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": sum(c for _k, c in ordered[size:]),
                "buckets": buckets,
            }
        if "range" in spec:
            name = spec["range"]["field"]
            buckets = []
            for r in spec["range"]["ranges"]:
                bounds = {"gte": r.get("from"), "lt": r.get("to")}
                bounds = {k: v for k, v in bounds.items() if v is not None}
                count = sum(
                    1 for d in docs if any(_in_range(v, bounds) for v in self._values(d, name))
                )
                bucket = {"key": r.get("key", f"{r.get('from', '*')}-{r.get('to', '*')}")}
                bucket.update({k: r[k] for k in ("from", "to") if k in r})
                bucket["doc_count"] = count
                buckets.append(bucket)
            return {"buckets": buckets}
        raise ApiError(400, "parsing_exception", f"unknown aggregation {sorted(spec)}")

    @staticmethod
    def _sorted(
        scored: list[tuple[str, str, dict[str, Any], float]], sort: list[Any]
    ) -> list[tuple[str, str, dict[str, Any], float]]:
        result = list(scored)
        for key in reversed(sort):
            if key == "_score":
                result.sort(key=lambda s: s[3], reverse=True)
                continue
            ((name, how),) = key.items()
            order = how if isinstance(how, str) else how.get("order", "asc")
            present = [s for s in result if s[2].get(name) is not None]
            missing = [s for s in result if s[2].get(name) is None]
            present.sort(key=lambda s: s[2][name], reverse=order == "desc")
            result = present + missing  # "missing": "_last"
        return result


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _hashable(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def _in_range(value: Any, bounds: dict[str, Any]) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    checks = {
        "gte": lambda b: number >= float(b),
        "gt": lambda b: number > float(b),
        "lte": lambda b: number <= float(b),
        "lt": lambda b: number < float(b),
    }
    return all(checks[k](v) for k, v in bounds.items() if k in checks)
