import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { definitionErrors } from './definition-errors.ts'
import { ERROR_CODES } from './error-codes.ts'
import { parseMarkdownSections, parseMarkdownTables, type MarkdownTable } from './markdown-table.ts'

// The catalogue and its reference page must agree both ways (fastify's errors test).
const doc = readFileSync(new URL('../../../../docs/reference/errors.md', import.meta.url), 'utf8')
const tables = parseMarkdownTables(doc)
const sections = parseMarkdownSections(doc)

/** The first table directly under the last of these headings (not in a subsection). */
function tableUnder(...headings: string[]): MarkdownTable {
  const matches = tables.filter(
    (table) =>
      table.headings.at(-1) === headings.at(-1) &&
      headings.every((heading) => table.headings.includes(heading)),
  )
  expect(matches.length, `a table under ${headings.join(' > ')}`).toBeGreaterThan(0)
  return matches[0] as MarkdownTable
}

// Sections headed by another package (`### @servey/http`) belong to that package's catalogue.
const isOtherPackage = (heading: string): boolean =>
  (/^@servey\//.test(heading) && heading !== '@servey/core') || heading === 'create-servey'

describe('docs/reference/errors.md: runtime error codes', () => {
  const table = tableUnder('Runtime error codes')

  it('has the documented columns', () => {
    expect(table.columns).toEqual([
      'Code',
      'HTTP status',
      'WebSocket close',
      'CLI exit',
      'Job retry',
      'Meaning',
      'When',
    ])
  })

  it('lists every code of the transport table with each of its columns, and nothing else', () => {
    const documented = Object.fromEntries(
      table.rows.map((row) => [
        row['Code'],
        {
          status: Number(row['HTTP status']),
          wsClose: Number(row['WebSocket close']),
          exitCode: Number(row['CLI exit']),
          retryable: row['Job retry'] === 'yes' ? true : row['Job retry'] === 'no' ? false : null,
        },
      ]),
    )
    const inCode = Object.fromEntries(
      Object.entries(ERROR_CODES).map(([code, { status, wsClose, exitCode, retryable }]) => [
        code,
        { status, wsClose, exitCode, retryable },
      ]),
    )
    expect(documented).toEqual(inCode)
    expect(table.rows).toHaveLength(Object.keys(ERROR_CODES).length)
  })

  it('explains every code', () => {
    for (const row of table.rows) {
      expect(row['Meaning'], row['Code']).not.toBe('')
      expect(row['When'], row['Code']).not.toBe('')
    }
  })
})

describe('docs/reference/errors.md: definition errors', () => {
  const table = tableUnder('Definition errors', '@servey/core')
  const documented = table.rows.map((row) => row['Code'])

  it('has the documented columns', () => {
    expect(table.columns).toEqual(['Code', 'Description', 'Solution'])
  })

  it('names every catalogue entry after its code', () => {
    for (const [key, factory] of Object.entries(definitionErrors)) expect(factory.code).toBe(key)
  })

  it('documents every entry of the catalogue, with a description and a solution', () => {
    expect([...documented].sort()).toEqual(Object.keys(definitionErrors).sort())
    for (const row of table.rows) {
      expect(row['Description'], row['Code']).not.toBe('')
      expect(row['Solution'], row['Code']).not.toBe('')
    }
  })

  it('mentions no SERVEY_ERR_ code outside the catalogue, anywhere in the core part of the page', () => {
    const corePart = sections
      .filter((section) => !section.headings.some(isOtherPackage))
      .map((section) => section.text)
      .join('\n')
    const mentioned = new Set(corePart.match(/SERVEY_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*/g) ?? [])
    const unknown = [...mentioned].filter((code) => !Object.hasOwn(definitionErrors, code))
    expect(unknown).toEqual([])
  })

  it('leaves a section for each package that appends its own codes', () => {
    const headings = new Set(sections.map((section) => section.headings.join(' > ')))
    expect(headings).toContain('Errors > Definition errors > @servey/http')
    expect(headings).toContain('Errors > Definition errors > @servey/cli')
  })
})
