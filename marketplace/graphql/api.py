"""The root GraphQL schema: only the composition of each domain's Query and Mutation classes."""

import graphene

from marketplace.accounts.graphql.schema import AccountMutations, AccountQueries
from marketplace.catalog.graphql.schema import CatalogMutations, CatalogQueries
from marketplace.checkout.graphql.schema import CheckoutMutations, CheckoutQueries
from marketplace.orders.graphql.schema import OrderMutations, OrderQueries
from marketplace.payments.graphql.schema import PaymentMutations
from marketplace.photos.graphql.schema import PhotoMutations, PhotoQueries
from marketplace.regions.graphql.schema import RegionMutations, RegionQueries
from marketplace.search.graphql.schema import SearchQueries
from sellers.graphql.schema import ShopMutations, ShopQueries
from training.graphql.schema import TrainingQueries


class Query(
    AccountQueries,
    CatalogQueries,
    CheckoutQueries,
    OrderQueries,
    PhotoQueries,
    RegionQueries,
    SearchQueries,
    ShopQueries,
    TrainingQueries,
    graphene.ObjectType,
):
    node = graphene.relay.Node.Field()


class Mutation(
    AccountMutations,
    CatalogMutations,
    CheckoutMutations,
    OrderMutations,
    PaymentMutations,
    PhotoMutations,
    RegionMutations,
    ShopMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
