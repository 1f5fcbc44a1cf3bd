/**
 * What a benchmark run is: a full one (`npm run bench`, figures written to test-results/bench/) or a smoke run
 * (DIALTONE_BENCH_SMOKE=1, the benchmark's every step at a handful of requests, its JSON written to
 * DIALTONE_BENCH_OUT). CI cannot afford the benchmarks' full runs, so test/integration/bench-smoke.test.ts runs the
 * ones built on the service's own flows as smoke runs and renders their report sections: a change to a flow that
 * breaks a benchmark fails CI instead of leaving `npm run bench` with a section of "no figures" (the service
 * benchmark's trials went unattested that way for days once activation was bound to the dongle).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A smoke run: every step, few requests, figures that mean nothing. */
export const SMOKE = process.env.DIALTONE_BENCH_SMOKE === '1'

/** The size of a step: `full` in a benchmark run, `smoke` in a smoke run. */
export function sized(full: number, smoke: number): number {
  return SMOKE ? smoke : full
}

/** Writes the benchmark's JSON where scripts/bench.mjs (or the smoke test) reads it, and prints it. */
export function writeResult(name: string, result: unknown): void {
  const dir = process.env.DIALTONE_BENCH_OUT ?? 'test-results/bench'
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(result, null, 2))
  console.log(JSON.stringify(result, null, 2))
}
