"""The root GraphQL schema: only the composition of each domain's Query and Mutation classes."""

import graphene

from marketplace.accounts.graphql.schema import AccountMutations, AccountQueries
from marketplace.catalog.graphql.schema import CatalogMutations, CatalogQueries
from marketplace.photos.graphql.schema import PhotoMutations, PhotoQueries
from marketplace.regions.graphql.schema import RegionMutations, RegionQueries
from marketplace.search.graphql.schema import SearchQueries
from sellers.graphql.schema import ShopMutations, ShopQueries


class Query(
    AccountQueries,
    CatalogQueries,
    PhotoQueries,
    RegionQueries,
    SearchQueries,
    ShopQueries,
    graphene.ObjectType,
):
    node = graphene.relay.Node.Field()


class Mutation(
    AccountMutations,
    CatalogMutations,
    PhotoMutations,
    RegionMutations,
    ShopMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
