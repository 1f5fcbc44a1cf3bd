/**
 * One process that starts, registers a line with Dialtone's SipLine and exits: what "process start -> registered"
 * measures. Credentials come from DIALTONE_BENCH_CREDS (JSON). Bundled with esbuild by phone.bench.ts, as the
 * app is bundled by electron-vite.
 */
import { SipLine } from '../../src/main/phone/sip-line'

const creds = JSON.parse(process.env.DIALTONE_BENCH_CREDS ?? '{}')
const line = new SipLine({
  credentials: async () => creds,
  onStatus: (s) => {
    if (s.state === 'registered') {
      process.stdout.write('registered\n')
      void line
        .stop()
        .then(() => process.exit(0))
        .catch((err: unknown) => console.error('line.stop failed', err))
    }
    if (s.state === 'failed') process.exit(1)
  }
})
void line.start().catch((err: unknown) => console.error('line.start failed', err))
setTimeout(() => process.exit(2), 10_000).unref()
