/**
 * The enrolment token on the command line: read from --token or DIALTONE_OPS_ENROL_TOKEN, and the next-step lines
 * that hand it on always in the variable's form. npm writes every `npm run` command line to its debug log
 * (~/.npm/_logs, readable by others), and until enrol-confirm the token can choose the operator's password and
 * authenticator again; the variable keeps it out of that log. --token stays for the installed dialtone-ops.
 */
import { UsageError } from './args'
import { type CommandIo, opt } from './command'

export function enrolToken(io: CommandIo): string {
  const token = opt(io, 'token') ?? io.env.DIALTONE_OPS_ENROL_TOKEN
  if (!token) throw new UsageError('--token is required (or DIALTONE_OPS_ENROL_TOKEN)')
  return token
}

/** How the next step is run with the token, as printed after bootstrap and operators create. */
export const enrolCommand = (self: string): string => `DIALTONE_OPS_ENROL_TOKEN=<token> ${self} enrol`
