/**
 * The dev stack's demo data, once the account service answers: opens the service's own database with the
 * service's own configuration (as `dialtone-ops bootstrap` does), runs seedDevData (src/server/ops/dev-seeds.ts)
 * and words what it made for the terminal. Development mode only. The secrets (the admin's enrolment token, the
 * sold card's PIN) go to this process's stdout once, at the first start of a fresh data folder; they are never
 * written to a log file (the service's log sees none of it: nothing goes over its HTTP API).
 */
import { loadConfig } from '../../src/server/config'
import { createContext } from '../../src/server/context'
import { openDatabase } from '../../src/server/db/database'
import { systemClock } from '../../src/server/clock'
import { type DevSeeds, seedDevData } from '../../src/server/ops/dev-seeds'

/** The lines to print: the seeds on a fresh folder, one line without secrets after that, none in production. */
export async function devSeeds(env: NodeJS.ProcessEnv, serviceDataDir: string): Promise<string[]> {
  // Production needs settings seeds never use (the seller's details, SMTP): decided before reading them.
  if ((env.DIALTONE_MODE ?? 'development') !== 'development') return []
  const config = loadConfig(env, serviceDataDir)
  if (config.mode !== 'development') return []
  const database = openDatabase(config.databaseUrl)
  try {
    const ctx = createContext({ db: database.db, dialect: database.dialect, clock: systemClock, config })
    const made = await seedDevData(ctx)
    return made
      ? describe(made, env)
      : [
          '',
          'Demo data: made at the first start of this data folder (README, "The first hour"); its codes are not shown again.'
        ]
  } finally {
    await database.close()
  }
}

function describe(s: DevSeeds, env: NodeJS.ProcessEnv): string[] {
  const opsUrl = `http://127.0.0.1:${env.DIALTONE_SERVICE_PORT ?? '4780'}`
  return [
    '',
    '── Demo data for development only (shown this once; never use it in production) ──',
    `  admin operator   ${s.admin.email}, enrolment token ${s.admin.enrolmentToken} (until ${s.admin.enrolmentExpiresAt})`,
    `                   DIALTONE_OPS_URL=${opsUrl} DIALTONE_OPS_ENROL_TOKEN=${s.admin.enrolmentToken} npm run ops -- enrol`,
    `  retail partner   ${s.shop.name}, ${s.shop.partnerId}: batch ${s.card.batchId}, ${s.card.unsold + 1} cards shipped, one sold at its till`,
    `  Re-Up card       serial ${s.card.serial}, PIN ${s.card.pin} (${s.card.planCode}): renew a line in the app with this Re-Up code`,
    `  web-shop order   ${s.order.orderNumber} for ${s.order.email} (${s.order.model}, ${s.order.includedMonths} months): activate an online purchase on the virtual dongle`,
    '──'
  ]
}
