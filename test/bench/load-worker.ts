/**
 * Starts the load clients (./load-clients.ts) in a worker thread of their own (their own event loop, outside the
 * service's) and resolves with what they saw. Shared by the load and the scale benchmarks.
 */
import { Worker } from 'node:worker_threads'
import type { LoadJob, LoadOutcome } from './load-clients'

export function runLoadWorker(job: LoadJob): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    // The worker loads TypeScript through tsx's API (a worker does not inherit the --import loader).
    const url = new URL('./load-clients.ts', import.meta.url).href
    const worker = new Worker(
      `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}) })`,
      { eval: true, workerData: job }
    )
    worker.once('message', (m: LoadOutcome) => resolve(m))
    worker.once('error', reject)
  })
}
