/**
 * A simulated carrier calling a Dialtone number through the dev stack (scripts/carrier-call.mjs): sipp from
 * 127.0.0.1:DIALTONE_CARRIER_IN_PORT (the address the stack's carrier table lets in) to Kamailio on
 * DIALTONE_SIP_PORT, caller ID CARRIER_CALLER, a tone once answered, hang-up after 30 s unless the person on the
 * line hangs up first. With --psap, the simulated PSAP calls a line back instead: from its call-back trunk's
 * address (an emergency gateway, which rings a line that is not in service, and even from a number the line's
 * account blocked), caller ID PSAP_CALLER. Answers a process exit code (0: the call was answered and ended, by
 * either side) and says what happened in one sentence; its working folder is removed on every exit.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { carrierCallArgs, carrierCallScenario, makeTone } from './carrier-scenarios'
import { CARRIER_CALLER, carrierPorts, mediaPortOf } from './stack-carriers'
import { PSAP_CALLER, psapCallbackPort } from './stack-emergency'
import { readStackConfig } from './stack-config'

const HOLD_S = 30

/** The line's final answer instead of 200, in words: what the person did on the phone, or the server's refusal. */
function unanswered(status: string): string {
  const code = Number(status.slice(0, 3))
  if (code === 486 || code === 600) return `The line was busy (${status}).`
  if (code === 603) return `The line declined the call (${status}).`
  if (code === 408 || code === 480 || code === 487) return `The line did not answer (${status}).`
  return `The SIP server answered ${status}.`
}

export async function carrierCall(argv: readonly string[]): Promise<number> {
  const psap = argv[0] === '--psap'
  // The number as people write it and the docs show it: `+1 201 555 0100` arrives as four words.
  const digits = argv
    .slice(psap ? 1 : 0)
    .join('')
    .replace(/[\s()+.-]/g, '')
  if (!/^[0-9]{11,15}$/.test(digits)) {
    process.stderr.write(
      'Usage: npm run carrier-call -- [--psap] <a Dialtone number, e.g. +12015550100>\n' +
        '  --psap: the simulated PSAP calls the line back (after a 911 call)\n'
    )
    return 2
  }
  const from = psap ? PSAP_CALLER : CARRIER_CALLER
  const sipPort = Number(process.env.DIALTONE_SIP_PORT || 5060)
  const ports = carrierPorts()
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-carrier-call-'))
  // Ctrl-C (or a kill) stops sipp; the call's end below then removes the folder like any other exit.
  let child: ReturnType<typeof spawn> | null = null
  let stopped = false
  const stop = () => {
    stopped = true
    child?.kill('SIGTERM')
  }
  process.once('SIGINT', stop).once('SIGTERM', stop)
  try {
    const scenario = carrierCallScenario(sipPort, {
      from,
      to: digits,
      expect: 'ok',
      holdMs: HOLD_S * 1000,
      toneFile: makeTone(dir, 697, HOLD_S),
      lineMayHangUp: true
    })
    writeFileSync(join(dir, 'scenario.xml'), scenario)
    const who = psap ? 'The PSAP' : 'Carrier'
    process.stdout.write(
      `${who} calling +${digits} from +${from} (answer on the phone; it hangs up after ${HOLD_S} s unless you do)...\n`
    )
    const running = spawn(
      'sipp',
      [
        '-sf',
        join(dir, 'scenario.xml'),
        ...(psap
          ? carrierCallArgs(
              sipPort,
              psapCallbackPort(readStackConfig().ports.psap),
              mediaPortOf(ports, 'in') + 4
            )
          : carrierCallArgs(sipPort, ports.carrierIn, mediaPortOf(ports, 'in'))),
        '-nostdin',
        '-trace_err',
        '-trace_logs'
      ],
      { stdio: 'ignore', cwd: dir }
    )
    child = running
    const code = await new Promise<number>((r) => running.once('exit', (c) => r(c ?? 1)))
    if (stopped) {
      // sipp stopped by a signal sends no BYE: the person ends the call on the phone.
      process.stdout.write(
        'Stopped: the carrier left without hanging up; hang up the phone if the call is still up.\n'
      )
      return 130
    }
    const logs = (suffix: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('')
    if (code === 0) {
      const byLine = logs('_logs.log').includes('the line hung up')
      process.stdout.write(
        `The call was answered and ended by ${byLine ? 'the line' : `the ${psap ? 'PSAP' : 'carrier'}`}.\n`
      )
      return 0
    }
    // sipp names the answer it did not expect ("received 'SIP/2.0 486 Busy Here") in its error log.
    const errors = logs('_errors.log')
    const answer = /received 'SIP\/2\.0 (\d{3} [^\r\n]*)/.exec(errors)?.[1]
    if (answer) process.stdout.write(`${unanswered(answer)}\n`)
    else {
      // The folder goes with this run: what sipp said is shown here instead.
      process.stdout.write(`The call did not go as expected (sipp exit code ${code}).\n`)
      const lines = errors.trim().split('\n').slice(-8).join('\n')
      if (lines) process.stderr.write(`sipp's errors:\n${lines}\n`)
    }
    return 1
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop)
    rmSync(dir, { recursive: true, force: true })
  }
}
