/**
 * `dialtone-ops` asking for secrets and pointing at the next command (the newcomer's README run): without a
 * terminal the refusal names DIALTONE_OPS_PASSWORD and --password-stdin in a sentence; on a terminal a new password
 * is asked twice and a mismatch refused (nothing enrolled); the commands it prints next are the form the person
 * ran (`npm run ops -- …` under npm, `dialtone-ops` otherwise), and that form works in a checkout. The prompts do
 * not depend on the database, so SQLite only.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { type TestService, startTestService } from '../../support/service'
import { OpsCli, freshCode, secretOf } from '../../support/ops'

const NPM = { npm_command: 'run-script', npm_lifecycle_event: 'ops' }
const PASSWORD = 'correct horse battery staple'

describe('dialtone-ops prompts', () => {
  let svc: TestService
  let cli: OpsCli
  let token = ''
  const email = 'first@ops.dialtone.test'

  beforeAll(async () => {
    svc = await startTestService('sqlite')
    cli = new OpsCli(svc, { process: true })
    token = (await bootstrapAdmin(svc.service.ctx, { email, name: 'First' })).enrolmentToken
  }, 60_000)
  afterAll(() => svc.close())

  it('without a terminal: one sentence naming the variable and --password-stdin; the code names --code', async () => {
    const r = await cli.run(['enrol', '--token', token])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'dialtone-ops: no password given and no terminal to ask on: set DIALTONE_OPS_PASSWORD or use --password-stdin\n'
    )
    const login = await cli.run(['login', '--email', email], { DIALTONE_OPS_PASSWORD: PASSWORD })
    expect(login.stderr).toContain(
      'no authenticator code given and no terminal to ask on: set DIALTONE_OPS_CODE or use --code'
    )
  })

  it('on a terminal a new password is asked twice; two different ones are refused and nothing is enrolled', async () => {
    const r = await cli.onTerminal(['enrol', '--token', token], [PASSWORD, `${PASSWORD}!`])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('Choose a password:')
    expect(r.stdout).toContain('Type the password again:')
    expect(r.stdout).toContain('the two passwords differ')
    expect(r.stdout).not.toContain('otpauth://')
    const op = await svc.service.ctx.db
      .selectFrom('operators')
      .select(['status', 'password_hash'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    expect(op.password_hash).toBeNull()
  })

  it('prints the next commands as the person ran the CLI, and the npm form exists in a checkout', async () => {
    const r = await cli.onTerminal(['enrol', '--token', token], [PASSWORD, PASSWORD], NPM)
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toContain(
      `Then finish with: npm run ops -- enrol-confirm --code <6 digits>, the token given as here (DIALTONE_OPS_ENROL_TOKEN or --token)`
    )
    expect(r.stdout).not.toMatch(/dialtone-ops enrol-confirm/)
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts
    expect(scripts.ops).toMatch(/src\/server\/ops\/cli\/main\.ts$/)

    const secret = secretOf(/otpauth:\/\/\S+/.exec(r.stdout)?.[0] ?? '')
    const viaNpm = await cli.run(['enrol-confirm', '--token', token, '--code', freshCode(svc, secret)], NPM)
    expect(viaNpm.code, viaNpm.stderr).toBe(0)
    expect(viaNpm.stdout).toContain(`Sign in with npm run ops -- login --email ${email}.`)
    const bare = await cli.run(['whoami'])
    expect(bare.stderr).toBe('dialtone-ops: not signed in: run dialtone-ops login\n')
  })
})
