"""The root GraphQL schema: only the composition of each domain's Query and Mutation classes."""

import graphene

from marketplace.accounts.graphql.schema import AccountMutations, AccountQueries
from marketplace.catalog.graphql.schema import CatalogMutations, CatalogQueries
from marketplace.regions.graphql.schema import RegionMutations, RegionQueries


class Query(AccountQueries, CatalogQueries, RegionQueries, graphene.ObjectType):
    node = graphene.relay.Node.Field()


class Mutation(AccountMutations, CatalogMutations, RegionMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
