/**
 * Text messages leave through an SmsGateway. The embedded default has none: SMS rows stay in the outbox, readable
 * in the dev mailbox like emails, for 24 hours. A real gateway (an HTTP API of an SMS provider) implements this
 * one method and is handed to the service (startService's `sms` option), and the outbox sender delivers SMS rows
 * through it with the same claiming, retries and forgetting of bodies as email (./sender.ts).
 */

/** One text message as it leaves: the number in E.164 and the plain text. */
export interface Sms {
  readonly to: string
  readonly body: string
}

export interface SmsGateway {
  /** For logs: which gateway failed ("twilio", "webhook"). */
  readonly name: string
  /** Resolves once the gateway accepted the message; rejects (with a reason for the log) to have it retried. */
  send(message: Sms): Promise<void>
}
