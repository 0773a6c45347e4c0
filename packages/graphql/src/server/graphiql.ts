import { createHash } from 'node:crypto'
import type { GraphiQLOptions } from 'graphql-yoga'

export interface OfflineGraphiQL {
  /** yoga's `renderGraphiQL`: the page for these options. */
  readonly render: (options?: GraphiQLOptions) => Promise<string>
  /**
   * The Content-Security-Policy the page is sent with: its one inline script allowed by hash,
   * its editor's workers from blob: URLs, nothing from another origin. So GraphiQL keeps
   * working under a strict site policy (helmet's `script-src 'self'` would block it).
   */
  contentSecurityPolicy(): string
}

const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g

/**
 * GraphiQL with every asset inlined (@graphql-yoga/render-graphiql), so the page works with
 * no internet; yoga's default page loads its scripts from a CDN. The page is about 9 MB, so
 * it is rendered, and its scripts hashed, once per set of options rather than per request.
 * The module is loaded on the first page asked for: its source alone holds about 28 MB of
 * strings, which a server that never shows GraphiQL (production, by default) would otherwise
 * keep in its heap for its whole life (59 MB live after a full GC instead of 23, measured on
 * `pnpm bench graphql`'s server).
 */
export function offlineGraphiQL(): OfflineGraphiQL {
  const pages = new Map<string, string>()
  const hashes = new Set<string>()
  let policy = ''
  return {
    async render(options) {
      const key = JSON.stringify(options ?? {})
      let page = pages.get(key)
      if (page === undefined) {
        const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql')
        page = renderGraphiQL(options)
        if (pages.size < 4) pages.set(key, page)
        for (const [, script] of page.matchAll(INLINE_SCRIPT)) {
          hashes.add(
            `'sha256-${createHash('sha256')
              .update(script ?? '')
              .digest('base64')}'`,
          )
        }
        policy = [
          "default-src 'self'",
          `script-src 'self' blob: ${[...hashes].join(' ')}`,
          "worker-src 'self' blob:",
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data: blob:",
          "font-src 'self' data:",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "frame-ancestors 'self'",
        ].join('; ')
      }
      return page
    },
    contentSecurityPolicy: () => policy,
  }
}
