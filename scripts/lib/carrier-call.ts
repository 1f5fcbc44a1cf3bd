/**
 * A simulated carrier calling a Dialtone number through the dev stack (scripts/carrier-call.mjs): sipp from
 * 127.0.0.1:DIALTONE_CARRIER_IN_PORT (the address the stack's carrier table lets in) to Kamailio on
 * DIALTONE_SIP_PORT, caller ID CARRIER_CALLER, a tone once answered, hang-up after 30 s. With --psap, the
 * simulated PSAP calls a line back instead: from its call-back trunk's address (an emergency gateway, which rings
 * a line that is not in service, and even from a number the line's account blocked), caller ID PSAP_CALLER.
 * Answers a process exit code and says what happened in one sentence.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { carrierCallArgs, carrierCallScenario, makeTone } from './carrier-scenarios'
import { CARRIER_CALLER, carrierPorts, mediaPortOf } from './stack-carriers'
import { PSAP_CALLER, psapCallbackPort } from './stack-emergency'
import { readStackConfig } from './stack-config'

export async function carrierCall(argv: readonly string[]): Promise<number> {
  const psap = argv[0] === '--psap'
  const digits = (argv[psap ? 1 : 0] ?? '').replace(/[\s()+-]/g, '')
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
  const scenario = carrierCallScenario(sipPort, {
    from,
    to: digits,
    expect: 'ok',
    holdMs: 30_000,
    toneFile: makeTone(dir, 697, 30)
  })
  writeFileSync(join(dir, 'scenario.xml'), scenario)
  process.stdout.write(
    `${psap ? 'The PSAP' : 'Carrier'} calling +${digits} from +${from} (answer on the phone; it hangs up after 30 s)...\n`
  )
  const child = spawn(
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
      '-trace_err'
    ],
    {
      stdio: 'ignore',
      cwd: dir
    }
  )
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)))
  // sipp names the answer it did not expect ("received 'SIP/2.0 404 Not a Dialtone number") in its error log.
  const errors = readdirSync(dir)
    .filter((f) => f.endsWith('_errors.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('')
  const answer = /received 'SIP\/2\.0 (\d{3} [^\r\n]*)/.exec(errors)?.[1]
  process.stdout.write(
    code === 0
      ? `The call was answered and ended by the ${psap ? 'PSAP' : 'carrier'}.\n`
      : answer
        ? `The SIP server answered ${answer}.\n`
        : `The call did not go as expected (sipp exit code ${code}; its log is in ${dir}).\n`
  )
  return code === 0 ? 0 : 1
}
