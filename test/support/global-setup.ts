/**
 * vitest global setup: one PostgreSQL cluster for the whole run, its admin URL handed to tests via inject(), and in
 * it one database migrated to the latest schema that test services start from (a copy each: createMigratedTemplate).
 */
import type { TestProject } from 'vitest/node'
import { type PostgresCluster, createMigratedTemplate, startPostgres } from './postgres'

const TEMPLATE = 'dt_migrated_template'

let cluster: PostgresCluster | null = null

export async function setup(project: TestProject): Promise<void> {
  cluster = await startPostgres()
  await createMigratedTemplate(cluster.adminUrl, TEMPLATE)
  project.provide('postgresUrl', cluster.adminUrl)
  project.provide('postgresTemplate', TEMPLATE)
}

export async function teardown(): Promise<void> {
  await cluster?.stop()
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
    /** A migrated database to copy (startTestService); tests of migrations start from an empty one. */
    postgresTemplate: string
  }
}
