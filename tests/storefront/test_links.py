"""Facet, sort and pager links change only the parameters they are about."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from storefront.links import param_links, with_params


@pytest.mark.parametrize(
    "query",
    ["", "q=kopi+osing&halaman=3", "kecamatan=3510170&q=caf%C3%A9&q=dua&urut=price_asc", "stok=1"],
)
def test_links_are_spelled_as_the_changed_query_string(query: str) -> None:
    changes = {"kecamatan": "3510171", "urut": None, "page": "2", "desa": ""}
    expected = QueryDict(query, mutable=True)
    expected.pop("halaman", None)
    for name, value in changes.items():
        name = "halaman" if name == "page" else name
        expected.pop(name, None)
        if value:
            expected[name] = value
    assert with_params(QueryDict(query), **changes) == f"?{expected.urlencode()}"


def test_changing_a_filter_returns_to_the_first_page() -> None:
    assert with_params(QueryDict("q=kopi&halaman=4"), stok="1") == "?q=kopi&stok=1"
    assert with_params(QueryDict("halaman=4"), stok=None) == "?"


@pytest.mark.parametrize("query", ["", "q=kopi&desa=1&halaman=2", "desa=1&desa=2&q=%C3%A9"])
@pytest.mark.parametrize("value", ["3510110009", "a b&c", None])
def test_a_facets_links_are_the_same_as_changing_one_parameter(
    query: str, value: str | None
) -> None:
    link = param_links(QueryDict(query), "desa")
    assert link(value) == with_params(QueryDict(query), desa=value)
