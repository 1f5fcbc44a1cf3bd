/**
 * `dialtone-ops bootstrap`: the first admin operator, made against the database itself (the ops API has nobody who
 * may create operators yet). Uses the service's own configuration (DIALTONE_DATABASE_URL, or the service's data
 * directory as `npm run server` finds it), migrates, and refuses once any admin exists. It prints the enrolment
 * token once; the admin then enrols through the running service like every operator (password, TOTP, recovery
 * codes), so the TOTP secret is only ever sealed by the service.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { dataDirFor } from '../../../shared/data-dir'
import { emailAddress, text } from '../../../shared/api/common'
import { loadConfig } from '../../config'
import { createContext } from '../../context'
import { migrateToLatest, openDatabase } from '../../db/database'
import { systemClock } from '../../clock'
import { bootstrapAdmin } from '../operators'
import { UsageError } from './args'

export async function bootstrap(
  env: NodeJS.ProcessEnv,
  spec: { email: string; name: string; databaseUrl?: string | undefined }
): Promise<{ operatorId: string; email: string; enrolmentToken: string; enrolmentExpiresAt: string }> {
  const email = emailAddress.safeParse(spec.email)
  if (!email.success) throw new UsageError('--email is not an email address')
  const name = text(1, 100).safeParse(spec.name)
  if (!name.success) throw new UsageError('--name must be 1-100 characters of plain text')
  const dataDir =
    env.DIALTONE_SERVICE_DATA_DIR ?? join(dataDirFor(env, process.platform, homedir()), 'service')
  const config = loadConfig(env, dataDir)
  const database = openDatabase(spec.databaseUrl ?? config.databaseUrl)
  try {
    await migrateToLatest(database)
    const ctx = createContext({ db: database.db, dialect: database.dialect, clock: systemClock, config })
    const made = await bootstrapAdmin(ctx, { email: email.data, name: name.data })
    return {
      operatorId: made.operator.id,
      email: made.operator.email,
      enrolmentToken: made.enrolmentToken,
      enrolmentExpiresAt: made.enrolmentExpiresAt
    }
  } finally {
    await database.close()
  }
}
