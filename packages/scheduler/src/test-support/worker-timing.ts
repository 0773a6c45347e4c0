/**
 * The lock settings of the test workers: short, so that a killed worker's job is handed on in
 * seconds, and different from each other, so that a mix-up of the two options shows.
 */
export const LOCK_DURATION_MS = 2000
export const STALLED_INTERVAL_MS = 1000
