/** Summary figures for a benchmark's samples: median, 95th percentile, min and max, in ms to 0.1. */
export function stat(samples: readonly number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b)
  const q = (p: number): number => +(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(1)
  return { median: q(0.5), p95: q(0.95), min: q(0), max: +(s.at(-1) ?? 0).toFixed(1) }
}

/** Runs `count` requests with `concurrency` workers; latencies, requests per second and p99. A status >= 300 fails. */
export async function loadTest(count: number, concurrency: number, request: (i: number) => Promise<number>) {
  const latencies: number[] = []
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now()
        const status = await request(i)
        if (status >= 300) throw new Error(`request ${i} answered ${status}`)
        latencies.push(performance.now() - t)
      }
    })
  )
  const seconds = (performance.now() - t0) / 1000
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    requests: count,
    perSecond: +(count / seconds).toFixed(1),
    p99: +(sorted[Math.floor(0.99 * (sorted.length - 1))] ?? 0).toFixed(1),
    ...stat(latencies)
  }
}
