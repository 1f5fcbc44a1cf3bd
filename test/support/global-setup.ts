/** vitest global setup: one PostgreSQL cluster for the whole run, its admin URL handed to tests via inject(). */
import type { TestProject } from 'vitest/node'
import { type PostgresCluster, startPostgres } from './postgres'

let cluster: PostgresCluster | null = null

export async function setup(project: TestProject): Promise<void> {
  cluster = await startPostgres()
  project.provide('postgresUrl', cluster.adminUrl)
}

export async function teardown(): Promise<void> {
  await cluster?.stop()
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
  }
}
