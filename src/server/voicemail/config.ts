/**
 * The voicemail server's configuration, from the environment (docs/voicemail.md). Off unless
 * DIALTONE_VOICEMAIL_PORT is set: the service then starts it next to the HTTP API.
 *   DIALTONE_VOICEMAIL_PORT      UDP port of its SIP address (Kamailio's VOICEMAIL_URI), on DIALTONE_VOICEMAIL_HOST
 *   DIALTONE_VOICEMAIL_HOST      default 127.0.0.1 (a private address Kamailio reaches at scale)
 *   DIALTONE_VOICEMAIL_LINES     calls at once (one baresip each), default 4, at most 32
 *   DIALTONE_VOICEMAIL_RTP_PORT  first of the media ports, 20 per line, default 32000
 *   DIALTONE_VOICEMAIL_TRUSTED   comma-separated addresses allowed to send SIP (Kamailio's), default the host
 */
export interface VoicemailConfig {
  readonly host: string
  readonly port: number
  readonly lines: number
  readonly rtpPort: number
  readonly trusted: readonly string[]
}

export class VoicemailConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new VoicemailConfigError(`${name} must be a whole number from ${min} to ${max}`)
  return n
}

export function voicemailConfig(env: NodeJS.ProcessEnv): VoicemailConfig | null {
  if (!env.DIALTONE_VOICEMAIL_PORT) return null
  const host = env.DIALTONE_VOICEMAIL_HOST ?? '127.0.0.1'
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host))
    throw new VoicemailConfigError('DIALTONE_VOICEMAIL_HOST must be an IPv4 address')
  const trusted = (env.DIALTONE_VOICEMAIL_TRUSTED ?? host).split(',').map((s) => s.trim())
  if (trusted.some((t) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(t)))
    throw new VoicemailConfigError('DIALTONE_VOICEMAIL_TRUSTED must list IPv4 addresses')
  return {
    host,
    port: int(env, 'DIALTONE_VOICEMAIL_PORT', 0, 1, 65535),
    lines: int(env, 'DIALTONE_VOICEMAIL_LINES', 4, 1, 32),
    rtpPort: int(env, 'DIALTONE_VOICEMAIL_RTP_PORT', 32000, 1024, 64000),
    trusted
  }
}
