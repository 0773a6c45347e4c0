import type { BenchRoute } from '../rest/routes.ts'
import { CATALOGUE_ETAG } from './constant.ts'

/** A server-cache hit, and the revalidation path: If-None-Match answered with 304. */
export const CACHE_ROUTES: readonly BenchRoute[] = [
  {
    id: 'cache-hit',
    label: 'GET /actions/cached-catalogue (server cache hit)',
    method: 'GET',
    path: '/actions/cached-catalogue',
  },
  {
    id: 'etag-304',
    label: 'GET /actions/tagged-catalogue + If-None-Match (304)',
    method: 'GET',
    path: '/actions/tagged-catalogue',
    headers: { 'if-none-match': CATALOGUE_ETAG },
    expectedStatus: 304,
  },
]
