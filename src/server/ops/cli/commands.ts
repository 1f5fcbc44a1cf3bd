/**
 * The commands of `dialtone-ops`, as one list joined from the topic files (commands-<topic>.ts): the words that
 * name each, the flags it takes (anything else is a usage error), its help line, and what it does. Each command
 * answers the service's result (printed as JSON with --json) and its human rendering (a table or key: value
 * lines). Secrets the service gives once (an enrolment token, recovery codes, PINs, an API key) are printed once or
 * written to a 0600 file, never stored otherwise. The order here is the order of the help.
 */
import type { Command } from './command'
import { accessCommands, permissionsCommand } from './commands-access'
import { accountsCommands } from './commands-accounts'
import { accountSecurityCommands } from './commands-account-security'
import { auditCommands } from './commands-audit'
import { businessCommands } from './commands-business'
import { carriersCommands } from './commands-carriers'
import { sipCommands } from './commands-sip'
import { moneyCommands } from './commands-money'
import { numbersCommands } from './commands-numbers'
import { promotionsCommands } from './commands-promotions'
import { registryCommands } from './commands-registry'
import { servicesCommands } from './commands-services'
import { sessionCommands } from './commands-session'
import { supportCommands } from './commands-support'
import { vouchersCommands } from './commands-vouchers'

/** Every command, topic by topic (one line per topic file). */
export const COMMANDS: readonly Command[] = [
  // promotions (issue 20)
  ...promotionsCommands,

  // accounts (issue 20)
  ...accountsCommands,
  ...accountSecurityCommands,

  // money (issue 20)
  ...moneyCommands,

  // numbers and reports (issue 20)
  ...numbersCommands,

  // carriers (issue 22)
  ...carriersCommands,
  // the SIP server's flood bans
  ...sipCommands,

  // support (issue 25)
  ...supportCommands,
  // business (issue 25)
  ...businessCommands,

  // services (issue 25)
  ...servicesCommands,

  // sessions, operators and partners, the audit log, dongles and Re-Up cards
  ...sessionCommands,
  ...accessCommands,
  ...auditCommands,
  ...registryCommands,
  ...vouchersCommands,
  permissionsCommand
]
