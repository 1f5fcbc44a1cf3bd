/**
 * The real Kamailio reading a started test service's database (the SIP stack of sip-stack.ts, on SQLite or on
 * PostgreSQL), with sipp as the lines: what the Kamailio integration tests (connected services, 911 and line
 * policy, emergency gateways) each set up alike. `creds` are a line's SIP credentials as its app gets them; `call`
 * runs a sipp scenario as a line and keeps sipp's error log of a failed call in `failures`, for the assertion
 * messages.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import type { KamailioInstance } from './kamailio'
import type { Backend, TestService } from './service'
import { type SipStackOptions, startSipStack } from './sip-stack'
import { sippRun } from './sipp'
import { sipCreds } from './service-flows'

const run = promisify(execFile)

export interface SipCreds {
  readonly username: string
  readonly password: string
}

export interface KamailioService {
  readonly svc: TestService
  readonly kam: KamailioInstance
  /** sipp's error logs of calls that failed. */
  readonly failures: string[]
  /** The line's SIP credentials, as its app gets them. */
  creds(line: { lineId: string; token: string }): Promise<SipCreds>
  /** sipp as the line running `scenario` to `to`: its exit code (0: every step matched). */
  call(c: SipCreds, scenario: string, to: string): Promise<number>
  close(): Promise<void>
}

/** The SIP stack (sip-stack.ts) on `backend`, and sipp as its lines. */
export async function startKamailioService(
  backend: Backend,
  options: Omit<SipStackOptions, 'backend'> = {}
): Promise<KamailioService> {
  const stack = await startSipStack({ ...options, backend })
  const { svc, kam } = stack
  const failures: string[] = []
  return {
    svc,
    kam,
    failures,
    creds: (line) => sipCreds(svc, line),
    async call(c, scenario, to) {
      const args = sippRun(kam.sipPort, scenario, c, to)
      try {
        await run('sipp', args, { timeout: 25_000 })
        return 0
      } catch (err) {
        const errorFile = args[args.indexOf('-error_file') + 1] ?? ''
        if (existsSync(errorFile)) failures.push(readFileSync(errorFile, 'utf8').slice(-1500))
        return (err as { code?: number }).code ?? -1
      }
    },
    close: () => stack.close()
  }
}
