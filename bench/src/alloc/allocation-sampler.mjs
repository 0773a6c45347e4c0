// Loaded into a server process with `node --import <this file>` by `pnpm bench alloc`. The
// first SIGUSR2 starts V8's sampling heap profiler, counting the objects that die young too
// (the default keeps only survivors, and a request's garbage is nearly all young); the second
// stops it and writes the profile to $SERVEY_ALLOC_PROFILE. Plain JavaScript: it runs inside
// `servey start` as installed from npm, where no TypeScript loader is registered this early.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'

const out = process.env.SERVEY_ALLOC_PROFILE
if (out !== undefined) {
  const session = new Session()
  session.connect()
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    )
  let sampling = false
  process.on('SIGUSR2', () => {
    const step = sampling
      ? post('HeapProfiler.stopSampling').then(({ profile }) => {
          writeFileSync(out, JSON.stringify(profile))
        })
      : post('HeapProfiler.enable')
          .then(() =>
            post('HeapProfiler.startSampling', {
              samplingInterval: 512,
              includeObjectsCollectedByMajorGC: true,
              includeObjectsCollectedByMinorGC: true,
            }),
          )
          .then(() => writeFileSync(`${out}.started`, ''))
    sampling = !sampling
    step.catch((error) => process.stderr.write(`allocation sampler: ${String(error)}\n`))
  })
}
