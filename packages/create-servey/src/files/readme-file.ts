import type { TriggerChoice } from '../triggers.ts'

/** README.md of the new app: how to run, call and test what was generated. */
export function readmeFile(name: string, triggers: readonly TriggerChoice[]): string {
  const has = (trigger: TriggerChoice): boolean => triggers.includes(trigger)
  const calls = [
    ...(has('web')
      ? [
          "curl '127.0.0.1:8000/actions/say-hello?name=World'",
          '# "Hello World!"',
          'npx servey run --action=say_hello --event=\'{"name":"World"}\'',
        ]
      : []),
    ...(has('job')
      ? [
          "curl -i -X POST 127.0.0.1:8000/actions/sum-numbers -H 'content-type: application/json' \\",
          "  -H 'Prefer: respond-async' -d '{\"numbers\":[1,2,3]}'",
          '# HTTP/1.1 202 Accepted, Location: /jobs/<id>; then: curl 127.0.0.1:8000/jobs/<id>',
        ]
      : []),
    ...(has('page') ? ['curl 127.0.0.1:8000/hello-page?name=Ada'] : []),
  ]
  const lines = [
    `# ${name}`,
    '',
    'A [Servey](https://www.npmjs.com/package/@servey/core) app: plain functions wrapped with',
    '`action()` in [`src/actions.ts`](src/actions.ts), served as REST with OpenAPI, GraphQL,',
    'schedules, background jobs, pages and a CLI.',
    '',
    '## Run it',
    '',
    '```sh',
    'npm install',
    'npm run dev        # servey dev: http://127.0.0.1:8000, docs at /docs, reloads on change',
    '```',
    '',
    ...(calls.length > 0 ? ['Then, in another terminal:', '', '```sh', ...calls, '```', ''] : []),
    ...(has('schedule')
      ? ['`heartbeat` runs every minute while the server runs (see the log).', '']
      : []),
    '## Scripts',
    '',
    '| Script | What |',
    '| --- | --- |',
    '| `npm run dev` | dev server: reloads on change, docs, GraphiQL and a dev token endpoint |',
    '| `npm start` | production server (`NODE_ENV=production`), JSON logs |',
    "| `npm test` | every action's examples as tests: in-process, over REST and GraphQL |",
    '| `npm run typecheck` | `tsc --noEmit` |',
    '',
    '`npx servey --help` lists the other commands (`run`, `actions`, `openapi`, `worker`, …).',
    '',
  ]
  return `${lines.join('\n')}`
}
