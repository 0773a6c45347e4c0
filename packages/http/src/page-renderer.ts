import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { toProblem, type ActionError, type Problem } from '@servey/core/adapter'
import nunjucks from 'nunjucks'
import { httpDefinitionErrors } from './errors.ts'

/** Optional templates the app may provide; built-in pages are used when they are absent. */
export const ERROR_TEMPLATE = 'error.njk'
export const NOT_FOUND_TEMPLATE = '404.njk'

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8'

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  )

function builtInErrorPage(problem: Problem): string {
  const stack = problem.stack === undefined ? '' : `\n<pre>${escapeHtml(problem.stack)}</pre>`
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${problem.status} ${escapeHtml(problem.title)}</title></head>\n` +
    `<body><h1>${problem.status} ${escapeHtml(problem.title)}</h1>\n<p>${escapeHtml(problem.detail)}</p>\n` +
    `<p><small>${escapeHtml(problem.code)}${problem.requestId === undefined ? '' : ` · request ${escapeHtml(problem.requestId)}`}</small></p>${stack}\n</body></html>\n`
  )
}

/**
 * The app's templates, with nunjucks: autoescaping on (a model can never inject markup
 * unless a template says `| safe`), inheritance and includes relative to the folder.
 */
export class PageRenderer {
  readonly folder: string
  readonly #env: nunjucks.Environment
  readonly #dev: boolean

  constructor(folder: string, dev: boolean) {
    this.folder = resolve(folder)
    this.#dev = dev
    // In dev, edited templates show on the next request; in production each compiles once.
    const loader = new nunjucks.FileSystemLoader(this.folder, { noCache: dev })
    this.#env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false })
  }

  /** Fail at start-up, naming the action and the file, rather than on the first request. */
  check(template: string, action: string): void {
    const path = join(this.folder, template)
    if (!existsSync(path)) {
      throw httpDefinitionErrors.SERVEY_ERR_HTTP_PAGE_TEMPLATE_MISSING(action, path)
    }
    try {
      this.#env.getTemplate(template, true)
    } catch (error) {
      throw httpDefinitionErrors.SERVEY_ERR_HTTP_PAGE_TEMPLATE_INVALID(
        template,
        action,
        (error as Error).message,
      )
    }
  }

  render(template: string, context: object): string {
    return this.#env.render(template, context)
  }

  /**
   * An error as a page: the app's `404.njk` or `error.njk` when it has them (with `status`,
   * `title`, `detail`, `code`, `requestId`, and `stack` only in dev), else a built-in page.
   */
  renderError(error: ActionError, requestId: string): string {
    const problem = toProblem(error, { requestId, dev: this.#dev })
    const template =
      error.status === 404 && existsSync(join(this.folder, NOT_FOUND_TEMPLATE))
        ? NOT_FOUND_TEMPLATE
        : existsSync(join(this.folder, ERROR_TEMPLATE))
          ? ERROR_TEMPLATE
          : undefined
    if (template !== undefined) {
      try {
        return this.render(template, problem)
      } catch {
        // A broken error template must not hide the error it was rendering.
      }
    }
    return builtInErrorPage(problem)
  }
}
