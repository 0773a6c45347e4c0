import { renderGraphiQL } from '@graphql-yoga/render-graphiql'
import type { GraphiQLOptions } from 'graphql-yoga'

/**
 * GraphiQL with every asset inlined (@graphql-yoga/render-graphiql), so the page works with
 * no internet; yoga's default page loads its scripts from a CDN. The page is about 9 MB, so
 * it is rendered once per set of options rather than per request.
 */
export function offlineGraphiQL(): (options?: GraphiQLOptions) => string {
  const pages = new Map<string, string>()
  return (options) => {
    const key = JSON.stringify(options ?? {})
    let page = pages.get(key)
    if (page === undefined) {
      page = renderGraphiQL(options)
      if (pages.size < 4) pages.set(key, page)
    }
    return page
  }
}
