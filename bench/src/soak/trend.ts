import { median } from '../lib/stats.ts'

export interface Point {
  /** Seconds. */
  readonly x: number
  readonly y: number
}

export interface Fit {
  /** y per second. */
  readonly slope: number
  /** Standard error of the slope (NaN with fewer than three points). */
  readonly slopeError: number
}

/** Ordinary least-squares line through the points; NaN slope with fewer than two distinct x. */
export function leastSquares(points: readonly Point[]): Fit {
  const n = points.length
  if (n < 2) return { slope: Number.NaN, slopeError: Number.NaN }
  let sumX = 0
  let sumY = 0
  for (const { x, y } of points) {
    sumX += x
    sumY += y
  }
  const meanX = sumX / n
  const meanY = sumY / n
  let sxx = 0
  let sxy = 0
  for (const { x, y } of points) {
    sxx += (x - meanX) ** 2
    sxy += (x - meanX) * (y - meanY)
  }
  if (sxx === 0) return { slope: Number.NaN, slopeError: Number.NaN }
  const slope = sxy / sxx
  if (n < 3) return { slope, slopeError: Number.NaN }
  let residuals = 0
  for (const { x, y } of points) residuals += (y - meanY - slope * (x - meanX)) ** 2
  return { slope, slopeError: Math.sqrt(residuals / (n - 2) / sxx) }
}

/** The window a trend is expressed in: 10 minutes, in seconds. */
export const TREND_WINDOW_SECONDS = 600

/**
 * Growth the soak still calls flat: 2 % of the median per 10 minutes. A leak at that rate
 * carries memory out of the ±10 % band within 50 minutes; a major collection's dip (RSS 10 %
 * under the median, regrown within 40 s, 2026-12-07) moves a 15-minute fit by 0.6 %.
 */
export const TREND_LIMIT = 0.02

/** A line through fewer points judges nothing (the heap gets a point per major collection). */
export const MIN_TREND_POINTS = 3

export interface Trend {
  readonly median: number
  /** Slope as a fraction of the median per TREND_WINDOW_SECONDS; NaN without two points. */
  readonly perWindow: number
  /** Its standard error, in the same unit. */
  readonly perWindowError: number
  readonly points: number
  /** At least MIN_TREND_POINTS points at two times or more. */
  readonly judged: boolean
  /** Judged, and the slope at most TREND_LIMIT: shrinking is never a leak. */
  readonly ok: boolean
}

/** The least-squares trend of the points, relative to their median, per 10 minutes. */
export function trendOf(points: readonly Point[]): Trend {
  const middle = median(points.map((point) => point.y))
  const fit = leastSquares(points)
  const scale = TREND_WINDOW_SECONDS / middle
  const perWindow = fit.slope * scale
  const judged = points.length >= MIN_TREND_POINTS && Number.isFinite(perWindow)
  return {
    median: middle,
    perWindow,
    perWindowError: fit.slopeError * scale,
    points: points.length,
    judged,
    ok: judged && perWindow <= TREND_LIMIT,
  }
}
