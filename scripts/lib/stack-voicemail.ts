/**
 * The dev stack's voicemail (issue 23): the voicemail server runs inside the account service (its baresip lines,
 * SIP front and message-waiting notifier; src/server/voicemail), so this part only picks its ports, checks they
 * are free, gives the service its variables and Kamailio its VOICEMAIL_URI. Ports: DIALTONE_VOICEMAIL_PORT (SIP,
 * udp 5090) and DIALTONE_VOICEMAIL_RTP_PORT (media, 20 per line from 32000). docs/voicemail.md.
 */
import { StackError } from './stack-config'
import { udpPortFree } from '../../src/server/port-check'

export interface VoicemailPart {
  /** Variables for the account service (which starts the voicemail server). */
  readonly serviceEnv: Record<string, string>
  /** Kamailio's -A define naming where voicemail calls and message-summary subscriptions go. */
  readonly kamailioArgs: readonly string[]
  readonly summary: readonly string[]
}

/** Its ports, each with its variable (the README's table is held to this list: readme-ports.test.ts). */
export const VOICEMAIL_PORTS = {
  sip: { variable: 'DIALTONE_VOICEMAIL_PORT', fallback: 5090 },
  rtp: { variable: 'DIALTONE_VOICEMAIL_RTP_PORT', fallback: 32000 }
} as const

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  const n = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isInteger(n) || n < 1024 || n > 65000)
    throw new StackError(`${name} must be a port number from 1024 to 65000, not '${raw}'.`)
  return n
}

export async function voicemailPart(env: NodeJS.ProcessEnv = process.env): Promise<VoicemailPart> {
  const sip = port(env, VOICEMAIL_PORTS.sip.variable, VOICEMAIL_PORTS.sip.fallback)
  const rtp = port(env, VOICEMAIL_PORTS.rtp.variable, VOICEMAIL_PORTS.rtp.fallback)
  const lines = env.DIALTONE_VOICEMAIL_LINES ?? '4'
  if (!(await udpPortFree(sip)))
    throw new StackError(
      `The voicemail server's port udp ${sip} is in use: stop what uses it, or set DIALTONE_VOICEMAIL_PORT.`
    )
  return {
    serviceEnv: {
      DIALTONE_VOICEMAIL_PORT: String(sip),
      DIALTONE_VOICEMAIL_RTP_PORT: String(rtp),
      DIALTONE_VOICEMAIL_LINES: lines
    },
    kamailioArgs: ['-A', `VOICEMAIL_URI="sip:127.0.0.1:${sip}"`],
    summary: [
      `  voicemail        udp 127.0.0.1:${sip} (${lines} calls at once, baresip); dial *98 from the line to listen`
    ]
  }
}
