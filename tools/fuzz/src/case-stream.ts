import fc from 'fast-check'

const CHUNK = 200

/** Cases from the arbitrary, deterministic for the seed, made a chunk at a time (memory). */
export function* generate<T>(
  arbitrary: fc.Arbitrary<T>,
  seed: number,
  count: number,
): Generator<T> {
  for (let chunk = 0; chunk * CHUNK < count; chunk++) {
    const numRuns = Math.min(CHUNK, count - chunk * CHUNK)
    yield* fc.sample(arbitrary, { seed: (seed + chunk * 7919) | 0, numRuns })
  }
}

/** Runs `work` over the items with at most `limit` at once. */
export async function pool<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]()
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); next.done !== true; next = iterator.next())
      await work(next.value)
  }
  await Promise.all(Array.from({ length: limit }, worker))
}
