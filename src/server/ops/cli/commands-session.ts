/**
 * `dialtone-ops` sessions: sign in (password and an authenticator or recovery code) and out, who the session or
 * API key is, and a new operator's two enrolment steps. The recovery codes and the authenticator secret of an
 * enrolment are printed once and stored nowhere; the session goes to a file only its user can read.
 */
import { type Command, flag, opt } from './command'
import { forgetSession, loadDeviceToken, saveDeviceToken, saveSession } from './credentials'
import { enrolToken } from './enrol-token'
import { record } from './table'

export const sessionCommands: readonly Command[] = [
  {
    name: 'login',
    args: [],
    required: ['email'],
    optional: ['code'],
    help: 'sign in: password (DIALTONE_OPS_PASSWORD, stdin or prompt) and an authenticator or recovery code',
    async run(io) {
      const password = await io.secret('Password: ', 'DIALTONE_OPS_PASSWORD')
      const code =
        opt(io, 'code') ??
        (await io.secret('Authenticator code: ', 'DIALTONE_OPS_CODE', { alternative: '--code' }))
      const c = io.anonymous()
      const email = flag(io, 'email')
      const deviceToken = loadDeviceToken(io.env, c.base, email)
      const out = await c.call('opsLogin', { email, password, code, ...(deviceToken ? { deviceToken } : {}) })
      saveDeviceToken(io.env, c.base, email, out.deviceToken)
      const path = saveSession(io.env, {
        url: c.base,
        token: out.token,
        expiresAt: out.expiresAt,
        email: out.operator.email
      })
      const shown = { operator: out.operator, expiresAt: out.expiresAt, sessionFile: path }
      return {
        json: shown,
        human: `Signed in as ${out.operator.email} (${out.operator.role}) until ${out.expiresAt}.\n`
      }
    }
  },
  {
    name: 'logout',
    args: [],
    required: [],
    optional: [],
    help: 'end the session and forget it',
    async run(io) {
      await io.client().call('opsLogout')
      forgetSession(io.env)
      return { json: { ok: true }, human: 'Signed out.\n' }
    }
  },
  {
    name: 'whoami',
    args: [],
    required: [],
    optional: [],
    help: 'who the session or API key is and what it may do',
    async run(io) {
      const me = await io.client().call('opsWhoami')
      return { json: me, human: record({ ...me, permissions: me.permissions.join(', ') }) }
    }
  },
  {
    name: 'enrol',
    args: [],
    required: [],
    optional: ['token'],
    help: 'first step for a new operator: choose a password; prints the otpauth:// URI and recovery codes ONCE (--token or DIALTONE_OPS_ENROL_TOKEN)',
    async run(io) {
      const token = enrolToken(io)
      const password = await io.secret('Choose a password: ', 'DIALTONE_OPS_PASSWORD', { confirm: true })
      const out = await io.anonymous().call('opsEnrol', { token, password })
      const human =
        `Add this to your authenticator app (scan or paste):\n  ${out.otpauthUri}\n` +
        `Secret (for manual entry): ${out.secret}\n\n` +
        `Recovery codes — each works once; keep them offline, they are not shown again:\n` +
        out.recoveryCodes.map((c) => `  ${c}`).join('\n') +
        `\n\nThen finish with: ${io.self} enrol-confirm --code <6 digits>, the token given as here (DIALTONE_OPS_ENROL_TOKEN or --token)\n`
      return { json: out, human }
    }
  },
  {
    name: 'enrol-confirm',
    args: [],
    required: ['code'],
    optional: ['token'],
    help: 'second step: the current authenticator code; the operator becomes active (--token or DIALTONE_OPS_ENROL_TOKEN)',
    async run(io) {
      const out = await io
        .anonymous()
        .call('opsEnrolConfirm', { token: enrolToken(io), code: flag(io, 'code') })
      return {
        json: out,
        human: `Enrolled: ${out.operator.email} (${out.operator.role}). Sign in with ${io.self} login --email ${out.operator.email}.\n`
      }
    }
  }
]
