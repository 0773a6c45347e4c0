import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ActionError } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { ERROR_TEMPLATE, NOT_FOUND_TEMPLATE, PageRenderer } from './page-renderer.ts'

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'servey-renderer-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const PROBLEM_PAGE = '{{ status }}|{{ title }}|{{ detail }}|{{ code }}|{{ requestId }}|{{ stack }}'

describe('PageRenderer.render', () => {
  it('escapes what the model holds, and renders an undefined value as nothing', () => {
    const renderer = new PageRenderer(
      folder({ 'p.njk': '<p>{{ model.a }}[{{ model.absent }}]</p>' }),
      false,
    )
    expect(renderer.render('p.njk', { model: { a: `<b>&"'` } })).toBe(
      '<p>&lt;b&gt;&amp;&quot;&#39;[]</p>',
    )
  })

  it('reads an edited template again in dev, and compiles it once otherwise', () => {
    const dir = folder({ 'p.njk': 'one' })
    const dev = new PageRenderer(dir, true)
    const production = new PageRenderer(dir, false)
    expect(dev.render('p.njk', {})).toBe('one')
    expect(production.render('p.njk', {})).toBe('one')
    writeFileSync(join(dir, 'p.njk'), 'two')
    expect(dev.render('p.njk', {})).toBe('two')
    expect(production.render('p.njk', {})).toBe('one')
  })
})

describe('PageRenderer.check', () => {
  const renderer = new PageRenderer(folder({ 'ok.njk': 'ok', 'bad.njk': '{% if %}' }), false)

  it('passes a template that compiles', () => {
    expect(() => renderer.check('ok.njk', 'fine')).not.toThrow()
  })

  it('refuses a missing template, naming the action and the file', () => {
    expect(() => renderer.check('gone.njk', 'lost')).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_HTTP_PAGE_TEMPLATE_MISSING',
        message: `The page of action lost has no template: looked for ${join(renderer.folder, 'gone.njk')}`,
      }),
    )
  })

  it("refuses a template that does not compile, with the compiler's reason", () => {
    expect(() => renderer.check('bad.njk', 'broken')).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_HTTP_PAGE_TEMPLATE_INVALID',
        message: expect.stringMatching(
          /^The template bad\.njk of action broken does not compile: .+/,
        ),
      }),
    )
  })
})

describe('PageRenderer.renderError', () => {
  const conflict = new ActionError('CONFLICT', 'Taken <already>')
  const missing = new ActionError('NOT_FOUND', 'No page at /x')

  it("uses the app's 404.njk for a 404 and error.njk for the rest, with the problem's fields", () => {
    const renderer = new PageRenderer(
      folder({
        [NOT_FOUND_TEMPLATE]: `404:${PROBLEM_PAGE}`,
        [ERROR_TEMPLATE]: `error:${PROBLEM_PAGE}`,
      }),
      false,
    )
    expect(renderer.renderError(missing, 'r1')).toBe(
      '404:404|Not Found|No page at /x|NOT_FOUND|r1|',
    )
    expect(renderer.renderError(conflict, 'r2')).toBe(
      'error:409|Conflict|Taken &lt;already&gt;|CONFLICT|r2|',
    )
  })

  it('uses error.njk for a 404 when the app has no 404.njk', () => {
    const renderer = new PageRenderer(folder({ [ERROR_TEMPLATE]: `error:${PROBLEM_PAGE}` }), false)
    expect(renderer.renderError(missing, 'r1')).toMatch(/^error:404\|/)
  })

  it('gives the stack to the template in dev only', () => {
    const files = { [ERROR_TEMPLATE]: '[{{ stack }}]' }
    const failure = new ActionError('INTERNAL', 'boom', { cause: new Error('deep') })
    expect(new PageRenderer(folder(files), false).renderError(failure, 'r')).toBe('[]')
    expect(new PageRenderer(folder(files), true).renderError(failure, 'r')).toMatch(/^\[.+\]$/s)
  })

  it('falls back to the built-in page, escaped, without templates or when the template fails', () => {
    const expected =
      '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>409 Conflict</title></head>\n' +
      '<body><h1>409 Conflict</h1>\n<p>Taken &lt;already&gt;</p>\n' +
      '<p><small>CONFLICT · request r&amp;1</small></p>\n</body></html>\n'
    expect(new PageRenderer(folder({}), false).renderError(conflict, 'r&1')).toBe(expected)
    const broken = folder({ [ERROR_TEMPLATE]: '{{ nothing() }}', [NOT_FOUND_TEMPLATE]: '{% if %}' })
    expect(new PageRenderer(broken, false).renderError(conflict, 'r&1')).toBe(expected)
    expect(new PageRenderer(broken, false).renderError(missing, 'r')).toContain(
      '<title>404 Not Found</title>',
    )
  })

  it('escapes quotes on the built-in page', () => {
    const quoted = new ActionError('CONFLICT', `Taken "a" 'b'`)
    expect(new PageRenderer(folder({}), false).renderError(quoted, 'r')).toContain(
      '<p>Taken &quot;a&quot; &#39;b&#39;</p>',
    )
  })

  it('shows the stack on the built-in page in dev, escaped', () => {
    const cause = new Error('deep <cause>')
    const failure = new ActionError('INTERNAL', 'boom', { cause })
    const page = new PageRenderer(folder({}), true).renderError(failure, 'r')
    expect(page).toMatch(/\n<pre>[^<]*deep &lt;cause&gt;[^<]*<\/pre>\n<\/body><\/html>\n$/)
    expect(new PageRenderer(folder({}), false).renderError(failure, 'r')).not.toContain('<pre>')
  })
})
