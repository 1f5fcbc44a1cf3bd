/**
 * An input's maxLength from the command's own request schema (src/shared/ipc), so a form never accepts more
 * than main and the service do, and never repeats their numbers.
 */
import { maxLengthOf } from '../../shared/api/limits'
import { commandDef, type CommandName } from '../../shared/ipc/contract'

export const limit = (command: CommandName, path: string): number | undefined =>
  maxLengthOf(commandDef(command).request, path)
