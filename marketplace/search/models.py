"""The search document: one denormalised row per listing that some market shows.

Searching the catalog tables directly would join product, category, shop, village, district and
variants for every query and could not hold a weighted full-text vector. The document is rebuilt
from those tables by ``services.refresh_documents`` whenever a domain event says a listing (or its
shop) changed, and wholly by ``manage.py reindex``. It is a cache: what buyers may see is still
decided by ``catalog.selectors.products_for_market`` on every search.

On PostgreSQL ``document`` holds the weighted ``tsvector`` (GIN index) and ``words`` has a trigram
GIN index (both created by the migration on PostgreSQL only); on SQLite ``document`` stays empty
and ``search_text`` is searched with ``LIKE``.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import Product


class ProductDocument(models.Model):
    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # Text per listing language (modeltranslation's spelling: Indonesian is ``ind``).
    title_ind = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    title_de = models.TextField(blank=True)
    title_nl = models.TextField(blank=True)
    title_fr = models.TextField(blank=True)
    description_ind = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    description_de = models.TextField(blank=True)
    description_nl = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    #: The category's and its parents' names, per language.
    category_ind = models.TextField(blank=True)
    category_en = models.TextField(blank=True)
    category_de = models.TextField(blank=True)
    category_nl = models.TextField(blank=True)
    category_fr = models.TextField(blank=True)
    #: Shop name, village and district: proper names, indexed in every language's configuration.
    place = models.TextField(blank=True)
    #: The distinct words of titles, categories and places, folded (lower case, no accents): the
    #: trigram typo match. Descriptions stay out: short text keeps ``word_similarity`` fast and
    #: a typo matching some word deep in a description is noise.
    words = models.TextField(blank=True)
    #: Every text above, descriptions included, folded: SQLite's ``LIKE`` search.
    search_text = models.TextField(blank=True)
    #: The titles alone, folded: SQLite's relevance (a word in the title counts more).
    title_words = models.TextField(blank=True)
    document = SearchVectorField(null=True, blank=True, editable=False)

    category_slug = models.SlugField(max_length=80)
    #: ``/parent/child/``: the category and its parents (Elasticsearch filters on it).
    category_path = models.CharField(max_length=400)
    district_code = models.CharField(max_length=13, db_index=True)
    district_name = models.CharField(max_length=100)
    village_code = models.CharField(max_length=13, db_index=True)
    village_name = models.CharField(max_length=100)
    #: Lowest variant prices: IDR for Indonesia, the EUR export price (before VAT) for the EU.
    min_price_idr = models.DecimalField(max_digits=14, decimal_places=0, null=True)
    min_export_price_eur = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    in_stock = models.BooleanField(default=False)
    ships_to_eu = models.BooleanField(default=False)
    visible_id = models.BooleanField(_("shown in Indonesia"), default=False)
    visible_eu = models.BooleanField(_("shown in the EU"), default=False)
    published_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["-published_at"], name="search_doc_published"),
            # Per market, every column the facet counts read, so counting is an index-only
            # scan; led by the category, which category pages filter on (``category_slug IN``
            # the category and those below it). (The market's newest-first index, ``NULLS
            # LAST`` as the page sorts, is made by migration 0002 on PostgreSQL only: SQLite has
            # no such index.)
            *(
                index
                for market, flag, price in (
                    ("id", "visible_id", "min_price_idr"),
                    ("eu", "visible_eu", "min_export_price_eur"),
                )
                for index in (
                    models.Index(
                        fields=[
                            "category_slug",
                            "district_code",
                            "village_code",
                            price,
                            "in_stock",
                            "ships_to_eu",
                        ],
                        include=["district_name", "village_name"],
                        name=f"search_doc_{market}_facets",
                        condition=Q(**{flag: True}),
                    ),
                )
            ),
        ]

    def __str__(self) -> str:
        return self.title_ind

    @property
    def markets(self) -> list[str]:
        return [code for code, shown in (("ID", self.visible_id), ("EU", self.visible_eu)) if shown]


class FacetCount(models.Model):
    """How many documents a market shows with one combination of facet values.

    A category or village page asks for counts without words: summing these few rows (at most
    villages x price ranges x 2 x 2 per category, however many listings there are) replaces
    grouping every document of a large category on each request. Maintained by
    ``services.refresh_documents`` in the same transaction as the documents it counts (each
    touched category and village recounted from the documents); ``manage.py reindex`` recounts
    everything.
    """

    #: ``ID`` | ``EU`` (``services.MARKET_FLAGS``).
    market = models.CharField(max_length=2)
    category_slug = models.SlugField(max_length=80)
    district_code = models.CharField(max_length=13)
    district_name = models.CharField(max_length=100)
    village_code = models.CharField(max_length=13)
    village_name = models.CharField(max_length=100)
    #: The facet value of the market's price range (``backends.common.range_key``); empty when
    #: the listing has no price in the market's currency.
    price_range = models.CharField(max_length=32, blank=True)
    in_stock = models.BooleanField()
    ships_to_eu = models.BooleanField()
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("facet count")
        verbose_name_plural = _("facet counts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "market",
                    "category_slug",
                    "village_code",
                    "price_range",
                    "in_stock",
                    "ships_to_eu",
                ],
                name="search_facet_count_unique",
            )
        ]
        indexes = [
            models.Index(fields=["market", "village_code"], name="search_facet_count_village"),
        ]

    def __str__(self) -> str:
        return f"{self.market} {self.category_slug} {self.village_code}: {self.count}"
