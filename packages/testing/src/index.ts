/**
 * @module @servey/testing: tests from action examples, and the conformance suite every
 * transport adapter passes. Both run under vitest and call actions through `ActionClient`s.
 */
export {
  defineExampleTests,
  type AppLoader,
  type ExampleTestOptions,
  type TestClient,
  type TestClientFactory,
} from './define-example-tests.ts'
export { assertExampleOutcome } from './assert-example-outcome.ts'
export { exampleCasesOf, exampleTestName, type ExampleCase } from './example-cases.ts'
export {
  runConformanceSuite,
  type ConformanceSuiteOptions,
  type ConformanceTarget,
} from './conformance-suite.ts'
export { createConformanceFixtures, type ConformanceFixtures } from './fixtures.ts'
export {
  runHttpConformanceSuite,
  type HttpConformanceApp,
  type HttpConformanceSuiteOptions,
  type HttpConformanceTarget,
} from './http-conformance-suite.ts'
export {
  normalizeHeaders,
  sendOverHttp,
  type HttpConformanceRequest,
  type HttpConformanceResponse,
} from './http-target.ts'
export { adapterTestActions } from './adapter-test-actions.ts'
export {
  createHttpConformanceActions,
  createMemoryJobRunner,
  type MemoryJobRunner,
} from './http-fixtures.ts'
export {
  browserAvailable,
  browserRequired,
  browserTestsSkipped,
  launchBrowser,
  recordRequestsElsewhere,
  useBrowserSession,
  type Browser,
  type BrowserSession,
  type ListeningServer,
  type Page,
} from './browser.ts'
export { runTypeScript, spawnTypeScript, typeScriptNodeArgs } from './typescript-process.ts'
export { notReadyMessage, PROCESS_START_TIMEOUT_MS } from './process-start.ts'
export { probePackageLoads, type PackageLoadProbe } from './package-loads.ts'
