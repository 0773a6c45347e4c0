import { createRegistry } from '@servey/core'
import { printGraphQLSchema } from '@servey/graphql'
import { expect, it } from 'vitest'
import * as actions from './actions/index.ts'

// The showcase's GraphQL schema, as `servey graphql-schema` writes it: a change to it shows
// up in review as a diff of this snapshot.
it('prints the GraphQL schema of the showcase', () => {
  expect(printGraphQLSchema(createRegistry(actions))).toMatchInlineSnapshot(`
    "type NumberStats {
      value: Int!

      """The factorial of the value (null for a negative value)"""
      factorial: Float
    }

    type Query {
      """Returns the caller's authorization (null when anonymous)"""
      echoAuthorization: Caller

      """A document with an ETag; send it back in If-None-Match for a 304"""
      etagExample(id: Int! = 1): EtagExampleResult!

      """Returns 1: one of three actions generated in a loop"""
      generated1: Int!

      """Returns 2: one of three actions generated in a loop"""
      generated2: Int!

      """Returns 3: one of three actions generated in a loop"""
      generated3: Int!

      """Greet the user named in the path"""
      greetByPath(name: String!): String!

      """Statistics about an integer"""
      numberStats(value: Int!): NumberStats!

      """Returns secret data to callers with the root scope"""
      onlyForRoot: String!

      """What the orders handlers did so far, in order"""
      orderJournal: [String!]!

      """Greet a user!"""
      sayHello(name: String!): String!

      """Takes 3 seconds, then is cached for 30 seconds"""
      slowGetWithTtl(value: String! = "Hello"): SlowGetWithTtlResult!

      """Statistics about several integers"""
      statsForNumbers(numbers: [Int!]!): [NumberStats!]!

      """The welcome mails sent so far by the signups handler"""
      welcomesSent: [WelcomesSentResult!]!
    }

    type Caller {
      subject: String
      scopes: [String!]!
    }

    type EtagExampleResult {
      id: Int!
      title: String!
    }

    type SlowGetWithTtlResult {
      value: String!

      """When the handler really ran (ISO 8601)"""
      computedAt: String!
    }

    type WelcomesSentResult {
      email: String!
      text: String!
    }

    type Mutation {
      """Send a message to the messenger channel; returns the event id"""
      broadcastMessage(
        message: String!

        """Deliver to this connection only"""
        connectionId: String
      ): String!

      """Place an order: published to orders, whose handlers record and ship it"""
      placeOrder(id: String!, total: Float!, express: Boolean!): PlaceOrderResult!

      """Predict the next value of a series (slowly: about 500 ms)"""
      predict(data: [Float!]!): PredictResult!

      """Raise an alert: published to alerts, whose webhook receives it"""
      raiseAlert(level: Int!, text: String!): RaiseAlertResult!

      """Register a user: publishes to signups, which enqueues the welcome mail"""
      signUp(email: String!, name: String!): SignUpResult!
    }

    type PlaceOrderResult {
      event: String!
    }

    type PredictResult {
      mean: Float!
      next: Float!
    }

    type RaiseAlertResult {
      event: String!
    }

    type SignUpResult {
      event: String!
    }
    "
  `)
})
