/**
 * The schema of ./resolvers.ts written by hand in GraphQL's SDL, for the servers that take one
 * (graphql-yoga here, Mercurius in the peers suite): what Servey derives from its actions.
 */
export const ORDERS_SDL = /* GraphQL */ `
  type Order {
    id: Int!
    item: String!
    qty: Int!
    price: Float!
    express: Boolean!
    tags: [String!]!
  }
  type Query {
    sayHello(name: String!): String!
    orders(count: Int!): [Order!]!
  }
`
