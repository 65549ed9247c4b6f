"""Search on the ``ProductDocument`` table: PostgreSQL full text, or ``LIKE`` on SQLite.

PostgreSQL: the words are parsed twice, with the buyer's language configuration and with
``indonesian`` (sellers write Indonesian; translations are optional), every word required in any
of its spellings; the two ``tsquery`` are OR-ed, matched against the weighted ``document``
vector (GIN) and ranked by ``ts_rank_cd``. When full text finds little, listings whose ``words``
are close to every query word by trigram ``word_similarity`` (GIN) are added, so a typo
(``robustta``) still finds coffee. SQLite, the embedded set-up, matches every word with ``LIKE``
on ``search_text`` and ranks words found in a title first: simpler, but the same filters, sorts
and facets. On both, the total and all facets come from one statement (``_counts``).

The listings searched are always ``products_for_market(code)``: the documents only add text,
prices and places to filter on, never decide visibility.
"""

from __future__ import annotations

import operator
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable, OrderBy

from marketplace.catalog.models import Product
from marketplace.catalog.selectors import products_for_market

from .. import selectors, services, text
from ..models import FacetCount, ProductDocument
from ..query import FacetValue, SearchQuery, SearchResult
from ..services import MARKET_FLAGS
from . import Log, Progress, common

D = "search_document__"
#: ``ts_rank_cd`` weights for D, C, B, A (PostgreSQL's order): shop and place, description,
#: category, title.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
#: A query matching more listings than this ranks only the newest this many (``_page``).
RANK_CANDIDATES = 500
#: Below this many full-text matches in the market (whatever the filters) the trigram match is
#: added (typo tolerance). Only for words that find nothing: a query that finds something keeps
#: its precise results and costs the same number of queries as any other.
FUZZY_BELOW = 1


@dataclass
class _Plan:
    """A query turned into SQL pieces: the match, the rank and the filters by facet."""

    match: Q
    rank: Any
    filters: dict[str, Q] = field(default_factory=dict)
    #: The category filter's slugs (the category and those below it), looked up once.
    categories: list[str] | None = None

    def where(self, *, without: Sequence[str] = ()) -> Q:
        """Every filter except those of the facets named (disjunctive facets)."""
        return reduce(
            operator.and_,
            (q for name, q in self.filters.items() if name not in without),
            Q(),
        )


class DatabaseBackend:
    """Answers from the documents table (see the module docstring)."""

    def index(self, documents: Sequence[ProductDocument], removed: Sequence[int]) -> None:
        """Nothing to send: the documents table is this backend's index."""

    def rebuild(
        self,
        progress: Progress | None = None,
        log: Log | None = None,
    ) -> None:
        """Nothing more to build once the documents are rebuilt."""

    # --- Searching ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        flag = MARKET_FLAGS.get(query.market.code)
        if flag is not None:
            # Counts, facets and paging on the documents alone (their market flags are kept in
            # step by the indexing of every event); the page's listings still go through
            # ``products_for_market``. A listing hidden since its document was written makes the
            # page come back short: then everything is answered again on the listings the market
            # shows now, so a stale document changes neither the page nor the counts.
            docs = ProductDocument.objects.filter(**{flag: True})
            result = self._search(query, docs, exact=False)
            if result is not None:
                return result
        shown = ProductDocument.objects.filter(
            product__in=products_for_market(query.market.code).values("pk")
        )
        result = self._search(query, shown, exact=True)
        assert result is not None
        return result

    def _search(
        self, query: SearchQuery, docs: QuerySet[ProductDocument], *, exact: bool
    ) -> SearchResult | None:
        words = text.terms(query.text)
        plan = self._plan(query, words, fuzzy=False)
        if not exact and not words and "price" not in plan.filters:
            # A category or village page: its counts are sums of the market's few ``FacetCount``
            # rows rather than a pass over every listing it has. (Arbitrary price bounds need
            # each listing's price; the exact rerun needs the listings the market shows now.)
            tallies = FacetCount.objects.filter(market=query.market.code)
            counts = self._counts(tallies, plan, query, tallied=True)
        else:
            counts = self._counts(docs.filter(plan.match), plan, query, page=True)
        fuzzy = connection.vendor == "postgresql" and bool(words) and counts.matched < FUZZY_BELOW
        if fuzzy:
            plan = self._plan(query, words, fuzzy=True, categories=plan.categories)
            counts = self._counts(docs.filter(plan.match), plan, query, page=True)
        products = self._page(
            docs.filter(plan.match), plan, query, counts.total, words, fuzzy, counts.page
        )
        expected = max(0, min(query.limit, counts.total - query.offset))
        if not exact and len(products) < expected:
            return None
        return SearchResult(
            products=products,
            total=counts.total,
            page=max(1, int(query.page)),
            page_size=query.limit,
            facets=self._facets(query, counts),
        )

    def _plan(
        self,
        query: SearchQuery,
        words: list[str],
        *,
        fuzzy: bool,
        p: str = "",
        with_match: bool = True,
        categories: list[str] | None = None,
    ) -> _Plan:
        """The match, rank and filters, on the document's columns behind ``p`` (a lookup path).

        ``with_match=False``: only the rank and filters are used (no typo look-up is run).
        ``categories``: the category filter's slugs when already looked up (``plan.categories``).
        """
        plan = _Plan(match=Q(), rank=Value(0, output_field=IntegerField()))
        if words:
            if connection.vendor == "postgresql":
                plan.match, plan.rank = self._fulltext(
                    query, words, fuzzy=fuzzy, p=p, with_match=with_match
                )
            else:
                plan.match, plan.rank = self._like(words, p=p)
        filters = plan.filters
        if query.category:
            # The category and those below it, as a list of slugs: an indexed equality, where
            # matching ``/slug/`` inside the path read every document of the market.
            if categories is None:
                categories = selectors.category_subtree(query.category)
            filters["category"] = Q(**{f"{p}category_slug__in": categories})
        if query.district:
            filters["district"] = Q(**{f"{p}district_code": query.district})
        if query.village:
            filters["village"] = Q(**{f"{p}village_code": query.village})
        price = p + common.price_field(query.market.currency)
        price_q = Q()
        if query.price_min is not None:
            price_q &= Q(**{f"{price}__gte": query.price_min})
        if query.price_max is not None:
            price_q &= Q(**{f"{price}__lte": query.price_max})
        if price_q:
            filters["price"] = price_q
        if query.in_stock is not None:
            filters["in_stock"] = Q(**{f"{p}in_stock": query.in_stock})
        if query.ships_to_eu is not None:
            filters["ships_to_eu"] = Q(**{f"{p}ships_to_eu": query.ships_to_eu})
        plan.categories = categories
        return plan

    @staticmethod
    def _fulltext(
        query: SearchQuery,
        words: list[str],
        *,
        fuzzy: bool,
        p: str = "",
        with_match: bool = True,
    ) -> tuple[Q, Any]:
        source = text.tsquery_source(words)
        configs = dict.fromkeys([text.TEXT_CONFIGS[text.language_of(query.language)], "indonesian"])
        tsquery = reduce(
            operator.or_,
            (PgSearchQuery(source, search_type="raw", config=config) for config in configs),
        )
        match = Q(**{f"{p}document": tsquery})
        rank: Combinable = SearchRank(
            F(f"{p}document"), tsquery, weights=RANK_WEIGHTS, cover_density=True
        )
        if fuzzy:
            close = [word for word in words if len(word) >= 3] or words
            if with_match:
                match |= Q(pk__in=_close_to(close))
            for word in close:
                rank = rank + TrigramWordSimilarity(word, f"{p}words")
        return match, rank

    @staticmethod
    def _like(words: list[str], p: str = "") -> tuple[Q, Any]:
        match = reduce(
            operator.and_,
            (
                reduce(
                    operator.or_,
                    (Q(**{f"{p}search_text__contains": v}) for v in text.variants(word)),
                )
                for word in words
            ),
        )
        in_title = [
            Case(
                When(
                    reduce(
                        operator.or_,
                        (Q(**{f"{p}title_words__contains": v}) for v in text.variants(word)),
                    ),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in words
        ]
        return match, reduce(operator.add, in_title)

    # --- Reading -----------------------------------------------------------------------------

    @staticmethod
    def _order(query: SearchQuery, p: str = "") -> list[OrderBy | str]:
        newest: list[OrderBy | str] = [F(f"{p}published_at").desc(nulls_last=True), "-pk"]
        sort = query.effective_sort
        if sort == "relevance":
            return [F("search_rank").desc(), *newest]
        if sort == "newest":
            return newest
        price = F(p + common.price_field(query.market.currency))
        first = price.asc(nulls_last=True) if sort == "price_asc" else price.desc(nulls_last=True)
        return [first, *newest]

    def _page(
        self,
        matched: QuerySet[ProductDocument],
        plan: _Plan,
        query: SearchQuery,
        total: int,
        words: list[str],
        fuzzy: bool,
        chosen: list[int] | None = None,
    ) -> list[Product]:
        """The page's listings: chosen on the documents, read through ``products_for_market``.

        One statement: the documents' page (sorted and sliced on the documents table alone) is a
        subquery; the listings it names that the market shows are read with what a card needs,
        in the same order. ``chosen``: the counting statement already picked the page's ids (or,
        to be ranked, the candidates; see ``_counts``), so the matches are not read again.
        """
        if query.offset >= total:
            return []
        relevance = query.effective_sort == "relevance"
        docs = matched.filter(plan.where())
        first: list[OrderBy] = []  # what ranks before relevance (the candidates, see below)
        candidates = None
        ids: Any = None
        if chosen is not None and not relevance:
            ids = chosen
        elif chosen is not None:
            docs = ProductDocument.objects.filter(pk__in=chosen)
        elif relevance and total > RANK_CANDIDATES:
            # Ranking reads every match's vector: for common words (thousands of matches) the
            # newest ``RANK_CANDIDATES``, found in date order without reading vectors, are ranked
            # first and the other matches after them. Pages within the candidates rank only
            # them; a page beyond ranks everything in that same order, so paging reaches all.
            newest: list[OrderBy | str] = [F("published_at").desc(nulls_last=True), "-pk"]
            candidates = docs.order_by(*newest).values("pk")[:RANK_CANDIDATES]
            if query.offset + query.limit <= RANK_CANDIDATES:
                docs = ProductDocument.objects.filter(pk__in=candidates)
                candidates = None
            else:
                docs = docs.annotate(candidate=_flag(Q(pk__in=candidates)))
                first = [F("candidate").desc()]
        if ids is None:
            if relevance:
                docs = docs.annotate(search_rank=plan.rank)
            ids = docs.order_by(*first, *self._order(query)).values("pk")[
                query.offset : query.offset + query.limit
            ]
        qs = products_for_market(query.market.code).filter(pk__in=ids)
        if relevance:
            qs = qs.annotate(
                search_rank=self._plan(
                    query, words, fuzzy=fuzzy, p=D, with_match=False, categories=plan.categories
                ).rank
            )
            if candidates is not None:
                qs = qs.annotate(candidate=_flag(Q(pk__in=candidates)))
        qs = selectors.with_result_relations(qs).order_by(*first, *self._order(query, p=D))
        return list(qs)

    @staticmethod
    def _counts(
        matched: QuerySet[Any],
        plan: _Plan,
        query: SearchQuery,
        *,
        tallied: bool = False,
        page: bool = False,
    ) -> _Counts:
        """The total and every facet's counts, in one statement over the matching listings.

        The matches are read once into a materialised CTE holding each listing's facet values
        and whether it passes each filter; each facet then groups that small table, counting the
        listings that pass every filter but the facet's own (so a buyer sees the alternatives to
        what they chose). One round trip, one scan of the catalog, a few hundred rows back.

        ``tallied``: ``matched`` are the market's ``FacetCount`` rows (a query without words or
        price bounds), each standing for ``count`` listings, instead of documents.

        ``page``: the same statement also picks the page from the matches it has read (sorted by
        date or price; for relevance, the newest ``RANK_CANDIDATES`` to rank), so ``_page`` does
        not read every match a second time (``counts.page``; ``None`` for a page too deep).
        """
        if tallied:
            c_price: Any = F("price_range")
        else:
            c_price = services.price_range(query.market.currency)
        wanted = [facet for facet in WITHOUT if facet in query.facets]
        # A filter no counted facet leaves out applies to every count: it narrows the rows read.
        ignored = {name for facet in wanted for name in WITHOUT[facet]}
        common_filters = {n: q for n, q in plan.filters.items() if n not in ignored}
        own = {n: q for n, q in plan.filters.items() if n in ignored}
        passes = {
            f"f_{name}": ExpressionWrapper(q, output_field=BooleanField())
            for name, q in own.items()
        }
        columns = {f"c_{name}": F(name) for name in GROUPED}
        if page and not tallied:
            columns |= {
                "c_pk": F("pk"),
                "c_published": F("published_at"),
                "c_amount": F(common.price_field(query.market.currency)),
            }
        inner = (
            matched.filter(*common_filters.values())
            .order_by()
            .annotate(
                c_price=c_price,
                c_weight=F("count") if tallied else Value(1, output_field=IntegerField()),
                **columns,
                **passes,
            )
            .values(*columns, "c_price", "c_weight", *passes)
        )
        sql, params = inner.query.sql_with_params()

        def passing(*without: str) -> str:
            conditions = [f"f_{n}" for n in own if n not in without]
            return f"SUM(CASE WHEN {' AND '.join(conditions) or '1 = 1'} THEN c_weight ELSE 0 END)"

        # Only this module's constant names go into the text; every value is a parameter of the
        # compiled inner query.
        parts = [f"SELECT 'total', '', '', {passing()} FROM m"]  # noqa: S608
        if common_filters:
            # The rows read are filtered already: whether the words match anything at all in the
            # market is asked on its own (up to ``FUZZY_BELOW`` rows: all the decision needs).
            probe, probe_params = (
                matched.order_by().values("pk")[:FUZZY_BELOW].query.sql_with_params()
            )
            parts.insert(0, f"SELECT 'matched', '', '', (SELECT COUNT(*) FROM ({probe}) p)")  # noqa: S608
            params = (*params, *probe_params)
        else:
            parts.insert(0, "SELECT 'matched', '', '', SUM(c_weight) FROM m")
        for facet in wanted:
            value, label = FACET_COLUMNS[facet]
            shown = f"CASE WHEN {value} THEN 'true' ELSE 'false' END" if facet in FLAGS else value
            label_sql = f"MAX({label})" if label else "''"
            parts.append(
                f"SELECT '{facet}', {shown}, {label_sql}, {passing(*WITHOUT[facet])} "  # noqa: S608
                f"FROM m GROUP BY {value}"
            )
        window = _page_window(query) if page and not tallied else None
        if window is not None:
            order, limit, offset = window
            everything = " AND ".join(f"f_{n}" for n in own) or "1 = 1"
            picked = (
                f"SELECT c_pk, c_published, c_amount FROM m WHERE {everything} ORDER BY {order} "  # noqa: S608
                f"LIMIT {int(limit)} OFFSET {int(offset)}"
            )
            parts.append(
                "SELECT 'page', CAST(c_pk AS VARCHAR(20)), '', "  # noqa: S608
                f"ROW_NUMBER() OVER (ORDER BY {order}) FROM ({picked}) p"
            )
        materialized = "MATERIALIZED " if _supports_materialized() else ""
        statement = f"WITH m AS {materialized}({sql}) " + " UNION ALL ".join(parts)
        counts = _Counts(page=[] if window is not None else None)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            for facet, value, label, count in cursor.fetchall():
                counts.add(facet, str(value), str(label or ""), int(count or 0))
        if counts.page is not None:
            counts.page.sort(key=counts.positions.__getitem__)
        return counts

    def _facets(self, query: SearchQuery, counts: _Counts) -> dict[str, list[FacetValue]]:
        language = text.language_of(query.language)
        by = counts.by
        facets = {
            "category": common.term_facet(
                by["category"], selectors.category_labels(by["category"], language)
            ),
            "district": common.term_facet(by["district"], counts.labels),
            "village": common.term_facet(by["village"], counts.labels),
            "price": common.price_facet(query, by["price"]),
            "in_stock": common.bool_facet(
                query, "in_stock", {f: by["in_stock"].get(str(f).lower(), 0) for f in (True, False)}
            ),
            "ships_to_eu": common.bool_facet(
                query,
                "ships_to_eu",
                {f: by["ships_to_eu"].get(str(f).lower(), 0) for f in (True, False)},
            ),
        }
        return {name: values if name in query.facets else [] for name, values in facets.items()}


#: Document columns the facet counts read.
GROUPED = (
    "category_slug",
    "district_code",
    "district_name",
    "village_code",
    "village_name",
    "in_stock",
    "ships_to_eu",
)
#: Each facet's value and label columns in the CTE (names are looked up where needed).
FACET_COLUMNS: dict[str, tuple[str, str]] = {
    "category": ("c_category_slug", ""),
    "district": ("c_district_code", "c_district_name"),
    "village": ("c_village_code", "c_village_name"),
    "price": ("c_price", ""),
    "in_stock": ("c_in_stock", ""),
    "ships_to_eu": ("c_ships_to_eu", ""),
}
#: Two-valued facets, answered as "true"/"false".
FLAGS = ("in_stock", "ships_to_eu")
#: Each facet is counted under every filter but these (its own; a district's also ignores the
#: village chosen in it, while a village's count keeps the district).
WITHOUT: dict[str, tuple[str, ...]] = {
    "category": ("category",),
    "district": ("district", "village"),
    "village": ("village",),
    "price": ("price",),
    "in_stock": ("in_stock",),
    "ships_to_eu": ("ships_to_eu",),
}


#: At most this many listings come from the typo match (a typo of a common word needs no more).
FUZZY_LIMIT = 1000


def _close_to(words: list[str]) -> list[int]:
    """Listings with a word close to each of ``words`` in their titles, categories or place.

    Each word may be misspelt on its own, but every one must be near some word of the listing
    (``%>``, pg_trgm's word similarity above its threshold, 0.6 by default). The trigram GIN
    index on ``words`` answers this in milliseconds, but the planner prices it above a
    sequential scan that computes the similarity for every row (ten times slower on a few
    thousand documents), so this one single-table query is planned without sequential scans.
    """
    matches = reduce(operator.and_, (Q(words__trigram_word_similar=w) for w in words))
    qs = ProductDocument.objects.filter(matches).order_by().values_list("pk", flat=True)
    with transaction.atomic(), connection.cursor() as cursor:
        # Transaction-local, and put back afterwards: inside an outer transaction (a savepoint
        # here) a local setting would otherwise outlive this query.
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        (previous, _off) = cursor.fetchone()
        try:
            return list(qs[:FUZZY_LIMIT])
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


#: ``_counts``' page order by sort (the same as ``DatabaseBackend._order``; relevance ranks the
#: newest candidates afterwards).
_PAGE_ORDER = {
    "newest": "c_published DESC NULLS LAST, c_pk DESC",
    "price_asc": "c_amount ASC NULLS LAST, c_published DESC NULLS LAST, c_pk DESC",
    "price_desc": "c_amount DESC NULLS LAST, c_published DESC NULLS LAST, c_pk DESC",
}


def _page_window(query: SearchQuery) -> tuple[str, int, int] | None:
    """(order, limit, offset) of the rows ``_counts`` picks for the page; ``None``: none."""
    sort = query.effective_sort
    if sort != "relevance":
        return _PAGE_ORDER[sort], query.limit, query.offset
    if query.offset + query.limit > RANK_CANDIDATES:
        return None  # deep in a long result: ``_page`` orders every match itself
    return _PAGE_ORDER["newest"], RANK_CANDIDATES, 0


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _supports_materialized() -> bool:
    """``WITH … AS MATERIALIZED``: PostgreSQL 12+, SQLite 3.35+ (else the CTE may be re-read)."""
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version_info >= (3, 35)
    return connection.vendor == "postgresql"


@dataclass
class _Counts:
    #: Listings of the market the words match, before any filter.
    matched: int = 0
    #: ... and after every filter: the result's total.
    total: int = 0
    by: dict[str, dict[str, int]] = field(
        default_factory=lambda: {facet: defaultdict(int) for facet in WITHOUT}
    )
    #: Region code -> name as people read it (the official list writes capitals).
    labels: dict[str, str] = field(default_factory=dict)
    #: The page's document ids in order, or the candidates to rank (``_counts(page=True)``).
    page: list[int] | None = None
    #: Each of those ids' place in the page.
    positions: dict[int, int] = field(default_factory=dict)

    def add(self, facet: str, value: str, label: str, count: int) -> None:
        if facet == "page":
            assert self.page is not None
            self.page.append(int(value))
            self.positions[int(value)] = count
            return
        if facet in ("matched", "total"):
            setattr(self, facet, count)
            return
        if count:
            self.by[facet][value] += count
        if label:
            self.labels[value] = label.title()
