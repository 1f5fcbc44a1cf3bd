/**
 * The one interface the line state machine uses to talk to a phone dongle: events up (hook, digit, flash,
 * mute, redial), commands down (ring, indicators, line power). Nothing above this interface sees bytes.
 */
import type { Indicator } from '../../../shared/telephony/hid-usages'
import type { PhoneEvent } from '../../../shared/telephony/telephony-controls'
import type { FirmwareAccess } from './firmware-access'

export type { PhoneEvent }

export interface DriverCapabilities {
  hook: boolean
  keypad: boolean
  flash: boolean
  mute: boolean
  /** The driver can ring the phone (an LED-page Ring output, or a vendor command). */
  ring: boolean
  /** The driver switches the analog line's power (FXS dongles). */
  linePower: boolean
  indicators: Indicator[]
}

export interface PhoneDriver {
  readonly name: 'hid-telephony' | 'tigerjet'
  readonly capabilities: DriverCapabilities
  /** Firmware version, write and verify, for dongles that speak Dialtone's firmware protocol; null otherwise. */
  readonly firmware: FirmwareAccess | null
  onEvent(listener: (event: PhoneEvent) => void): () => void
  ring(on: boolean): Promise<void>
  indicator(name: Indicator, on: boolean): Promise<void>
  linePower(on: boolean): Promise<void>
  close(): Promise<void>
}
