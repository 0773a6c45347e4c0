import { describe, expect, it } from 'vitest'
import { cellText, parseMarkdownSections, parseMarkdownTables } from './markdown-table.ts'

const doc = `Intro text | with a pipe.

# Errors

## Runtime error codes

| Code | HTTP status | Meaning |
| --- | :---: | --- |
| \`NOT_FOUND\` | 404 | Nothing there |
| \`PIPE\` | 400 | Uses a \\| inside |

### Body

\`\`\`md
| Not | A table |
| --- | --- |
# not a heading
\`\`\`

## Definition errors

### @servey/core

Code | Description
--- | ---
SERVEY_ERR_A | first
SERVEY_ERR_B | second

### @servey/rest

Nothing yet.
`

describe('parseMarkdownTables', () => {
  const tables = parseMarkdownTables(doc)

  it('finds every table outside code fences, with its enclosing headings', () => {
    expect(tables.map((table) => table.headings)).toEqual([
      ['Errors', 'Runtime error codes'],
      ['Errors', 'Definition errors', '@servey/core'],
    ])
  })

  it('reads rows keyed by column, code spans and escaped pipes included', () => {
    expect(tables[0]?.columns).toEqual(['Code', 'HTTP status', 'Meaning'])
    expect(tables[0]?.rows).toEqual([
      { Code: 'NOT_FOUND', 'HTTP status': '404', Meaning: 'Nothing there' },
      { Code: 'PIPE', 'HTTP status': '400', Meaning: 'Uses a | inside' },
    ])
  })

  it('reads tables written without outer pipes', () => {
    expect(tables[1]?.rows.map((row) => row['Code'])).toEqual(['SERVEY_ERR_A', 'SERVEY_ERR_B'])
  })
})

describe('parseMarkdownSections', () => {
  it('splits the text by heading, fenced headings left in the text', () => {
    const sections = parseMarkdownSections(doc)
    expect(sections.map((section) => section.headings.at(-1) ?? '')).toEqual([
      '',
      'Errors',
      'Runtime error codes',
      'Body',
      'Definition errors',
      '@servey/core',
      '@servey/rest',
    ])
    expect(sections[3]?.text).toContain('# not a heading')
    expect(sections[6]?.text.trim()).toBe('Nothing yet.')
  })

  it('forgets deeper headings when a shallower one starts', () => {
    const sections = parseMarkdownSections('# A\n### Deep\n## B\ntext')
    expect(sections.at(-1)).toEqual({ headings: ['A', 'B'], text: 'text' })
  })
})

describe('cellText', () => {
  it('removes one surrounding code span only', () => {
    expect(cellText(' `404` ')).toBe('404')
    expect(cellText('`a` and `b`')).toBe('`a` and `b`')
    expect(cellText('plain')).toBe('plain')
  })
})
