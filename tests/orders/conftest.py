from tests.orders.factories import (  # noqa: F401
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)
