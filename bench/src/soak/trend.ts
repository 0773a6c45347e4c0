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

/**
 * Theil-Sen slope: the median of the slopes between every two points at different times. Up to
 * about 29 % of the points can be anything without moving it much, so a major collection's dip
 * (a few samples far under the rest) does not tilt the line as it tilts a least-squares fit.
 * NaN without two distinct times. Quadratic, which is nothing at a soak's few hundred samples.
 */
export function theilSen(points: readonly Point[]): number {
  const slopes: number[] = []
  for (let i = 0; i < points.length; i++) {
    const a = points[i] as Point
    for (let j = i + 1; j < points.length; j++) {
      const b = points[j] as Point
      if (b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x))
    }
  }
  return median(slopes)
}

/** The window a trend is expressed in: 10 minutes, in seconds. */
export const TREND_WINDOW_SECONDS = 600

/**
 * Growth the soak still calls flat: 2 % of the median per 10 minutes, by the Theil-Sen slope.
 * A leak at that rate carries memory out of the ±10 % band within 50 minutes. A major
 * collection's dip tilts a least-squares line: the 30-minute run of 2026-12-07 05:06 (RSS 17 %
 * under the median at 460 s, regrown within 50 s) gave +1.66 % per 10 minutes by least squares
 * and +0.61 % by Theil-Sen, against +0.59 % by least squares without the dip.
 */
export const TREND_LIMIT = 0.02

/** A line through fewer points judges nothing (the heap gets a point per major collection). */
export const MIN_TREND_POINTS = 3

export interface Trend {
  readonly median: number
  /** Theil-Sen slope as a fraction of the median per TREND_WINDOW_SECONDS; NaN without two times. */
  readonly perWindow: number
  /** The least-squares slope in the same unit, printed beside it: a dip moves it, not the verdict. */
  readonly leastSquaresPerWindow: number
  /** The least-squares slope's standard error, in the same unit. */
  readonly leastSquaresError: number
  readonly points: number
  /** At least MIN_TREND_POINTS points at two times or more. */
  readonly judged: boolean
  /** Judged, and the slope at most TREND_LIMIT: shrinking is never a leak. */
  readonly ok: boolean
}

/** The trend of the points, relative to their median, per 10 minutes. */
export function trendOf(points: readonly Point[]): Trend {
  const middle = median(points.map((point) => point.y))
  const fit = leastSquares(points)
  const scale = TREND_WINDOW_SECONDS / middle
  const perWindow = theilSen(points) * scale
  const judged = points.length >= MIN_TREND_POINTS && Number.isFinite(perWindow)
  return {
    median: middle,
    perWindow,
    leastSquaresPerWindow: fit.slope * scale,
    leastSquaresError: fit.slopeError * scale,
    points: points.length,
    judged,
    ok: judged && perWindow <= TREND_LIMIT,
  }
}
