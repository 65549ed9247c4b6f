"""Search on Elasticsearch 8 (the official client), fed with the ``ProductDocument`` rows.

Buyers search the alias ``<prefix>-products``; ``rebuild`` loads a new, timestamped index and
moves the alias to it in one ``_aliases`` call, so a search never meets a half-built index, then
deletes the old one. Events write through the alias (created empty on first use if ``reindex``
never ran).

Text: per-language ``title``/``description``/``category`` fields with Elasticsearch's language
analyzers; every word of the query must match some field (each spelling of it counts), the
buyer's language and Indonesian boosted, titles most. Fuzziness ``AUTO`` forgives typos. Filters
are keyword/boolean/numeric fields; facets are aggregations, each under every filter but its own
(the hits take all filters through ``post_filter``). Hits are mapped back to products through
``products_for_market``, so a lagging index can never show what a market does not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import Elasticsearch, NotFoundError, helpers

from .. import selectors, text
from ..models import ProductDocument
from ..query import FacetValue, SearchQuery, SearchResult
from . import Log, Progress, common

logger = logging.getLogger(__name__)

#: Documents per ``_bulk`` request.
BULK_CHUNK = 500

_TEXT: dict[str, Any] = {"type": "text"}
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        **{
            f"{name}_{language}": {**_TEXT, "analyzer": config}
            for name in ("title", "description", "category")
            for language, config in text.TEXT_CONFIGS.items()
        },
        "place": {**_TEXT, "analyzer": "standard"},
        "category": {"type": "keyword"},
        "category_path": {"type": "keyword"},
        "district": {"type": "keyword"},
        "village": {"type": "keyword"},
        "min_price_idr": {"type": "scaled_float", "scaling_factor": 1},
        "min_export_price_eur": {"type": "scaled_float", "scaling_factor": 100},
        "in_stock": {"type": "boolean"},
        "ships_to_eu": {"type": "boolean"},
        "markets": {"type": "keyword"},
        "published_at": {"type": "date"},
        "product_id": {"type": "long"},
    },
}
SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"


def new_index_name() -> str:
    return f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"


@lru_cache(maxsize=4)
def _client(url: str) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=10, retry_on_timeout=True, max_retries=2)


def client() -> Elasticsearch:
    """One client per URL and process (it keeps a connection pool)."""
    if not settings.ELASTICSEARCH_URL:
        raise RuntimeError("ELASTICSEARCH_URL is not set.")
    return _client(settings.ELASTICSEARCH_URL)


def es_document(doc: ProductDocument) -> dict[str, Any]:
    """A document row as the index stores it (field names as in ``MAPPINGS``)."""
    body: dict[str, Any] = {
        f"{name}_{language}": getattr(doc, text.column(name, language)) or ""
        for name in ("title", "description", "category")
        for language in text.TEXT_CONFIGS
    }
    body.update(
        place=doc.place,
        category=doc.category_slug,
        category_path=[slug for slug in doc.category_path.split("/") if slug],
        district=doc.district_code,
        village=doc.village_code,
        min_price_idr=None if doc.min_price_idr is None else float(doc.min_price_idr),
        min_export_price_eur=(
            None if doc.min_export_price_eur is None else float(doc.min_export_price_eur)
        ),
        in_stock=doc.in_stock,
        ships_to_eu=doc.ships_to_eu,
        markets=doc.markets,
        published_at=doc.published_at.isoformat() if doc.published_at else None,
        product_id=doc.product_id,
    )
    return body


def _actions(
    index: str, documents: Iterable[ProductDocument], removed: Iterable[int] = ()
) -> Iterator[dict[str, Any]]:
    for doc in documents:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": str(doc.pk),
            "_source": es_document(doc),
        }
    for pk in removed:
        yield {"_op_type": "delete", "_index": index, "_id": str(pk)}


def _bulk(es: Elasticsearch, actions: Iterable[dict[str, Any]]) -> int:
    """Send ``actions`` in chunks; deleting what is not there is fine, any other failure raises."""
    sent, failures = 0, []
    for ok, item in helpers.streaming_bulk(
        es, actions, chunk_size=BULK_CHUNK, raise_on_error=False, max_retries=2
    ):
        sent += 1
        if not ok:
            op, info = next(iter(item.items()))
            if not (op == "delete" and info.get("status") == 404):
                failures.append(item)
    if failures:
        raise RuntimeError(f"Elasticsearch refused {len(failures)} documents: {failures[:3]}")
    return sent


class ElasticsearchBackend:
    def __init__(self) -> None:
        self.es = client()
        self.alias = alias_name()

    # --- Writing -----------------------------------------------------------------------------

    def ensure_index(self) -> None:
        """Create an empty index behind the alias if there is none yet (first event, no reindex).

        The first index has a fixed name and carries the alias in its creation request, so two
        workers racing here create one index, not two.
        """
        if self.es.indices.exists_alias(name=self.alias):
            return
        self.es.options(ignore_status=400).indices.create(
            index=f"{self.alias}-initial",
            settings=SETTINGS,
            mappings=MAPPINGS,
            aliases={self.alias: {}},
        )

    def index(self, documents: Sequence[ProductDocument], removed: Sequence[int]) -> None:
        if not documents and not removed:
            return
        self.ensure_index()
        _bulk(self.es, _actions(self.alias, documents, removed))

    def rebuild(self, progress: Progress | None = None, log: Log | None = None) -> None:
        """A new index, bulk-loaded, then the alias swapped to it atomically; old ones deleted."""
        started = timezone.now()
        index = new_index_name()
        self.es.indices.create(index=index, settings=SETTINGS, mappings=MAPPINGS)
        total, done = selectors.documents().count(), 0
        batch: list[ProductDocument] = []
        loaded: set[int] = set()
        for doc in selectors.documents().iterator(chunk_size=BULK_CHUNK):
            batch.append(doc)
            loaded.add(doc.pk)
            if len(batch) == BULK_CHUNK:
                done += _bulk(self.es, _actions(index, batch))
                batch = []
                if progress is not None:
                    progress("elasticsearch", done, total)
        if batch or total == 0:
            done += _bulk(self.es, _actions(index, batch))
            if progress is not None:
                progress("elasticsearch", done, total)
        self.es.indices.refresh(index=index)
        old = self._alias_targets()
        actions: list[dict[str, Any]] = [
            {"remove": {"index": name, "alias": self.alias}} for name in old
        ]
        if self.es.indices.exists(index=self.alias) and not old:
            # An index (not an alias) took the alias's name, e.g. written before any reindex.
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": index, "alias": self.alias}})
        self.es.indices.update_aliases(actions=actions)
        for name in old:
            self.es.options(ignore_status=404).indices.delete(index=name)
        # Listings changed while we loaded were written to the old index: send them again.
        late = selectors.documents().filter(indexed_at__gte=started)
        if late.exists():
            _bulk(self.es, _actions(self.alias, late))
        # Listings removed while we loaded were deleted from the old index only, after this one
        # had copied them: delete whatever was loaded and has no document any more.
        gone = loaded - set(selectors.documents().values_list("pk", flat=True))
        if gone:
            _bulk(self.es, _actions(self.alias, [], sorted(gone)))
        if log is not None:
            log(
                f"Elasticsearch: {done} documents in {index}; alias {self.alias} moved from "
                f"{', '.join(old) or 'nothing'}."
            )

    def _alias_targets(self) -> list[str]:
        try:
            return sorted(self.es.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    # --- Searching ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """Search the alias; when Elasticsearch cannot answer, the documents table does.

        The database documents are kept current whichever backend is configured, so buyers get
        results (ranked by PostgreSQL, not Elasticsearch) while the cluster is down or before
        the first index exists.
        """
        body = self.request(query)
        try:
            response = self.es.search(index=self.alias, **body).body
        except (TransportError, NotFoundError) as error:
            from .database import DatabaseBackend

            logger.warning("Elasticsearch did not answer (%s); searching the database", error)
            return DatabaseBackend().search(query)
        ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
        total = response["hits"]["total"]
        return SearchResult(
            products=selectors.products_in_order(query.market.code, ids),
            total=int(total["value"] if isinstance(total, dict) else total),
            page=max(1, int(query.page)),
            page_size=query.limit,
            facets=self._facets(query, response.get("aggregations", {})),
        )

    @staticmethod
    def _text_query(query: SearchQuery, words: list[str]) -> dict[str, Any]:
        buyer = text.language_of(query.language)
        fields = []
        for name, boost in (("title", 4), ("category", 2), ("description", 1)):
            for language in text.TEXT_CONFIGS:
                factor = 2 if language == buyer else 1.5 if language == text.DEFAULT_LANGUAGE else 1
                fields.append(f"{name}_{language}^{boost * factor:g}")
        fields.append("place^0.5")
        must = []
        for word in words:
            should = [
                {
                    "multi_match": {
                        "query": spelling,
                        "fields": fields,
                        "type": "best_fields",
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                    }
                }
                for spelling in text.variants(word)
            ]
            must.append(should[0] if len(should) == 1 else {"bool": {"should": should}})
        return {"bool": {"must": must}}

    @staticmethod
    def _filters(query: SearchQuery) -> dict[str, dict[str, Any]]:
        filters: dict[str, dict[str, Any]] = {}
        if query.category:
            filters["category"] = {"term": {"category_path": query.category}}
        if query.district:
            filters["district"] = {"term": {"district": query.district}}
        if query.village:
            filters["village"] = {"term": {"village": query.village}}
        bounds: dict[str, float] = {}
        if query.price_min is not None:
            bounds["gte"] = float(query.price_min)
        if query.price_max is not None:
            bounds["lte"] = float(query.price_max)
        if bounds:
            filters["price"] = {"range": {common.price_field(query.market.currency): bounds}}
        if query.in_stock is not None:
            filters["in_stock"] = {"term": {"in_stock": query.in_stock}}
        if query.ships_to_eu is not None:
            filters["ships_to_eu"] = {"term": {"ships_to_eu": query.ships_to_eu}}
        return filters

    @staticmethod
    def _sort(query: SearchQuery) -> list[Any]:
        newest = [
            {"published_at": {"order": "desc", "missing": "_last"}},
            {"product_id": {"order": "desc"}},
        ]
        sort = query.effective_sort
        if sort == "relevance":
            return ["_score", *newest]
        if sort == "newest":
            return newest
        order = "asc" if sort == "price_asc" else "desc"
        price = common.price_field(query.market.currency)
        return [{price: {"order": order, "missing": "_last"}}, *newest]

    def request(self, query: SearchQuery) -> dict[str, Any]:
        """The ``_search`` body for ``query`` (public so tests can read what is asked)."""
        words = text.terms(query.text)
        must = [self._text_query(query, words)] if words else []
        filters = self._filters(query)

        def others(*names: str) -> dict[str, Any]:
            return {"bool": {"filter": [q for n, q in filters.items() if n not in names]}}

        def faceted(names: tuple[str, ...], agg: dict[str, Any]) -> dict[str, Any]:
            return {"filter": others(*names), "aggs": {"values": agg}}

        price = common.price_field(query.market.currency)
        ranges = [
            {"key": common.range_key(low, high, query.market.currency), "from": float(low)}
            | ({} if high is None else {"to": float(high)})
            for low, high in common.price_ranges(query.market.currency)
        ]
        return {
            "query": {"bool": {"must": must, "filter": [{"term": {"markets": query.market.code}}]}},
            "post_filter": others(),
            "sort": self._sort(query),
            "from_": query.offset,
            "size": query.limit,
            "track_total_hits": True,
            "source": False,
            "aggregations": {
                "category": faceted(("category",), {"terms": {"field": "category", "size": 100}}),
                "district": faceted(
                    ("district", "village"), {"terms": {"field": "district", "size": 100}}
                ),
                "village": faceted(("village",), {"terms": {"field": "village", "size": 200}}),
                "price": faceted(("price",), {"range": {"field": price, "ranges": ranges}}),
                "in_stock": faceted(("in_stock",), {"terms": {"field": "in_stock"}}),
                "ships_to_eu": faceted(("ships_to_eu",), {"terms": {"field": "ships_to_eu"}}),
            },
        }

    @staticmethod
    def _buckets(aggregations: dict[str, Any], name: str) -> list[dict[str, Any]]:
        return list(aggregations.get(name, {}).get("values", {}).get("buckets", []))

    def _facets(
        self, query: SearchQuery, aggregations: dict[str, Any]
    ) -> dict[str, list[FacetValue]]:
        def terms(name: str) -> dict[str, int]:
            return {str(b["key"]): int(b["doc_count"]) for b in self._buckets(aggregations, name)}

        def flags(name: str) -> dict[bool, int]:
            counts = {True: 0, False: 0}
            for bucket in self._buckets(aggregations, name):
                key = bucket.get("key_as_string", bucket["key"])
                counts[key in (True, 1, "true")] = int(bucket["doc_count"])
            return counts

        categories, districts, villages = terms("category"), terms("district"), terms("village")
        names = selectors.region_labels([*districts, *villages])
        prices = {str(b["key"]): int(b["doc_count"]) for b in self._buckets(aggregations, "price")}
        language = text.language_of(query.language)
        return {
            "category": common.term_facet(
                categories, selectors.category_labels(categories, language)
            ),
            "district": common.term_facet(districts, names),
            "village": common.term_facet(villages, names),
            "price": common.price_facet(query, prices),
            "in_stock": common.bool_facet(query, "in_stock", flags("in_stock")),
            "ships_to_eu": common.bool_facet(query, "ships_to_eu", flags("ships_to_eu")),
        }
