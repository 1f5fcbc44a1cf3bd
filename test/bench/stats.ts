/** Summary figures for a benchmark's samples: median, 95th percentile, min and max, in ms to 0.1. */
export function stat(samples: readonly number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b)
  const q = (p: number): number => +(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(1)
  return { median: q(0.5), p95: q(0.95), min: q(0), max: +(s.at(-1) ?? 0).toFixed(1) }
}
