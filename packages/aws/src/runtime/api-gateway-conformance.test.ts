import { runHttpConformanceSuite, type HttpConformanceApp } from '@servey/testing'
import { createLambdaHandler } from './create-lambda-handler.ts'
import {
  gatewayRoutes,
  sendThroughGateway,
  type GatewayVersion,
} from './api-gateway-target.fixture.ts'

/** The suite's app as a router function, with the suite's token keys and job runner. */
function serve(app: HttpConformanceApp, version: GatewayVersion) {
  const handler = createLambdaHandler({
    actions: app.actions,
    authenticator: app.authenticator,
    jobs: (invoker) => ({ runner: app.jobRunner(invoker) }),
    bodyLimit: app.bodyLimit,
    env: { LOG_LEVEL: 'silent' },
  })
  return {
    send: sendThroughGateway(version, gatewayRoutes(app.actions), handler),
    close: () => Promise.resolve(),
  }
}

runHttpConformanceSuite({
  name: 'lambda (REST API v1)',
  setup: (app) => Promise.resolve(serve(app, 1)),
  skip: {
    'a value with a malformed escape is 400 BAD_REQUEST':
      'API Gateway answers a query with a malformed escape (%E0%A4%A, a lone %) itself, before Lambda',
  },
})

runHttpConformanceSuite({
  name: 'lambda (HTTP API v2)',
  setup: (app) => Promise.resolve(serve(app, 2)),
  skip: {
    'a path that does not percent-decode is 400 BAD_REQUEST problem+json':
      'an HTTP API decodes rawPath before Lambda, so a path that does not decode never reaches the function',
  },
})
