/** The seam for OS commands the collectors read (journalctl, dmesg, PowerShell, ioreg): run, capture, time out. */
import { execFile } from 'node:child_process'

export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
}

export type CommandRunner = (
  command: string,
  args: readonly string[],
  timeoutMs?: number
) => Promise<CommandResult>

export const runCommand: CommandRunner = (command, args, timeoutMs = 10_000) =>
  new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
        resolve({ code, stdout: String(stdout), stderr: String(stderr) })
      }
    )
  })
