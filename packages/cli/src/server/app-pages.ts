import { existsSync } from 'node:fs'
import { join } from 'node:path'

export interface AppPages {
  readonly templates?: string
  readonly public?: string
}

/**
 * The app directory's `templates/` (nunjucks pages) and `public/` (static files), when they
 * exist: an app with neither serves no pages and no static files, and needs no setting.
 */
export function appPagesFrom(root: string): AppPages | undefined {
  const templates = join(root, 'templates')
  const publicDir = join(root, 'public')
  const pages = {
    ...(existsSync(templates) ? { templates } : {}),
    ...(existsSync(publicDir) ? { public: publicDir } : {}),
  }
  return Object.keys(pages).length === 0 ? undefined : pages
}
