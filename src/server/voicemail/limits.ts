/**
 * Voicemail limits, one table for the server, the API and the docs (docs/voicemail.md): a box holds at most
 * MAX_MESSAGES messages or MAX_TOTAL_S seconds of them; a message is cut at MAX_MESSAGE_S; messages older than
 * MAX_AGE_DAYS are removed; a greeting lasts at most MAX_GREETING_S and must not be silence.
 */
export const VOICEMAIL_LIMITS = {
  maxMessages: 30,
  maxTotalS: 15 * 60,
  maxMessageS: 120,
  minMessageMs: 700,
  maxAgeDays: 30,
  maxGreetingS: 30,
  minGreetingMs: 1000,
  /** An upload larger than this is refused before it is read (a 30 s 16-bit 48 kHz stereo WAV is ~5.8 MB). */
  maxGreetingUploadBytes: 6 * 1024 * 1024
} as const
