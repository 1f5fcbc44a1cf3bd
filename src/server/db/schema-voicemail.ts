/**
 * Types of migration 0021 (voicemail): messages and greetings, audio in the row (see migration-voicemail.ts).
 */

export interface VoicemailMessagesTable {
  id: string
  line_id: string
  account_id: string
  /** The caller's number as it came (E.164 with '+', digits, or 'anonymous'). */
  caller: string
  caller_name: string | null
  /** Why the call came to the box: unconditional, busy, no-answer or unavailable. */
  reason: string
  received_at: string
  duration_ms: number
  size_bytes: number
  /** A WAV file (8 kHz mono G.711 mu-law). */
  audio: Uint8Array
  heard_at: string | null
}

export interface VoicemailGreetingsTable {
  line_id: string
  account_id: string
  duration_ms: number
  audio: Uint8Array
  updated_at: string
}

export interface VoicemailTables {
  voicemail_messages: VoicemailMessagesTable
  voicemail_greetings: VoicemailGreetingsTable
}
