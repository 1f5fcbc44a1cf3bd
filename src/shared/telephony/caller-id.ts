/**
 * On-hook caller ID as an analog phone expects it (Telcordia GR-30-CORE, SR-TSV-002476): an MDMF message (type
 * 0x80: date and time, number or why it is absent, name or why it is absent, two's-complement checksum) sent as
 * Bell 202 FSK (1200 baud; mark 1200 Hz = 1, space 2200 Hz = 0; phase-continuous) after a channel seizure of 300
 * alternating bits and 180 mark bits, each byte framed with a start bit (0) and a stop bit (1), least significant
 * bit first. It is played between the first and the second ring. No maintained JS library encodes this.
 * Names are sent in printable ASCII (what the phone's display shows): letters are transliterated with a maintained
 * library (Ł→L, Ø→O, ß→ss, Æ→AE) instead of dropped, and format and bidi-control characters never get through.
 */
import transliterate from '@sindresorhus/transliterate'

export interface CallerInfo {
  /** Local time of the call as the line sees it. */
  readonly at: { month: number; day: number; hour: number; minute: number }
  /** The caller's number (digits), or why it is missing. */
  readonly number: string | 'private' | 'unavailable'
  readonly name: string | 'private' | 'unavailable' | null
}

const PARAM = { dateTime: 0x01, number: 0x02, numberAbsent: 0x04, name: 0x07, nameAbsent: 0x08 } as const
const ABSENT = { private: 'P', unavailable: 'O' } as const
const MAX_NUMBER = 20
const MAX_NAME = 15

const two = (n: number): string => String(n).padStart(2, '0')
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0) & 0x7f)

/** A name as an analog phone's display can show it: printable ASCII, letters transliterated, spaces collapsed. */
export function callerIdName(name: string): string {
  return transliterate(name.replace(/\p{Cf}/gu, ''))
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The MDMF message bytes, checksum included. */
export function mdmf(info: CallerInfo): Uint8Array {
  const params: number[] = []
  const put = (type: number, bytes: number[]) => params.push(type, bytes.length, ...bytes)
  const { month, day, hour, minute } = info.at
  put(PARAM.dateTime, ascii(`${two(month)}${two(day)}${two(hour)}${two(minute)}`))
  if (info.number === 'private' || info.number === 'unavailable')
    put(PARAM.numberAbsent, ascii(ABSENT[info.number]))
  else put(PARAM.number, ascii(info.number.replace(/[^\d]/g, '').slice(-MAX_NUMBER)))
  if (info.name === 'private' || info.name === 'unavailable') put(PARAM.nameAbsent, ascii(ABSENT[info.name]))
  else if (info.name) put(PARAM.name, ascii(callerIdName(info.name).slice(0, MAX_NAME)))
  const body = [0x80, params.length, ...params]
  const sum = body.reduce((s, b) => (s + b) & 0xff, 0)
  return Uint8Array.from([...body, (0x100 - sum) & 0xff])
}

/** Whether an MDMF/SDMF message's checksum verifies (the sum of all bytes is 0 modulo 256). */
export const checksumOk = (msg: Uint8Array): boolean => msg.reduce((s, b) => (s + b) & 0xff, 0) === 0

/** The bit stream: seizure, marks, then each byte framed (start 0, 8 bits LSB first, stop 1). */
export function fskBits(message: Uint8Array, seizureBits = 300, markBits = 180): number[] {
  const bits: number[] = []
  for (let i = 0; i < seizureBits; i++) bits.push(i % 2)
  for (let i = 0; i < markBits; i++) bits.push(1)
  for (const byte of message) {
    bits.push(0)
    for (let b = 0; b < 8; b++) bits.push((byte >> b) & 1)
    bits.push(1)
  }
  // A few marks after the last stop bit so receivers settle.
  for (let i = 0; i < 10; i++) bits.push(1)
  return bits
}

/** Bell 202 FSK audio of a caller-ID message (16-bit PCM, -13 dBm0 by default). */
export const callerIdAudio = (info: CallerInfo, sampleRate = 8000, levelDbm0 = -13): Int16Array =>
  fskAudio(mdmf(info), sampleRate, levelDbm0)

/**
 * Caller ID on call waiting (type II, off-hook; GR-575-CORE, SR-TSV-002476): the CPE alerting signal (CAS, 2130 Hz
 * + 2750 Hz for 80 ms), then, after the time a phone takes to acknowledge it with DTMF 'D' (the dongle cannot hear
 * that acknowledgement, so the pause is fixed), the same MDMF message in Bell 202 FSK without the channel seizure
 * and with 80 mark bits. Played after the call-waiting beep, on the earpiece of a phone in a call.
 */
export const CAS_MS = 80
export const CAS_TO_FSK_MS = 160

export function callWaitingAudio(message: Uint8Array, sampleRate = 8000, levelDbm0 = -13): Int16Array {
  const cas = Math.round((sampleRate * CAS_MS) / 1000)
  const pause = Math.round((sampleRate * CAS_TO_FSK_MS) / 1000)
  const fsk = fskAudio(message, sampleRate, levelDbm0, 0, 80)
  const out = new Int16Array(cas + pause + fsk.length)
  // Each of the two CAS tones 3 dB below the FSK level, so their sum peaks near it.
  const amp = 32767 * 10 ** ((levelDbm0 - 3 - 3.14) / 20)
  for (let i = 0; i < cas; i++)
    out[i] = Math.round(
      amp *
        (Math.sin((2 * Math.PI * 2130 * i) / sampleRate) + Math.sin((2 * Math.PI * 2750 * i) / sampleRate))
    )
  out.set(fsk, cas + pause)
  return out
}

/** Bell 202 FSK audio (1200 Hz mark, 2200 Hz space, 1200 baud) of any message bytes. */
export function fskAudio(
  message: Uint8Array,
  sampleRate = 8000,
  levelDbm0 = -13,
  seizureBits = 300,
  markBits = 180
): Int16Array {
  const bits = fskBits(message, seizureBits, markBits)
  const amp = 32767 * 10 ** ((levelDbm0 - 3.14) / 20)
  const samplesPerBit = sampleRate / 1200
  const total = Math.ceil(bits.length * samplesPerBit)
  const out = new Int16Array(total)
  let phase = 0
  for (let i = 0; i < total; i++) {
    const bit = bits[Math.min(bits.length - 1, Math.floor(i / samplesPerBit))]
    phase += (2 * Math.PI * (bit === 1 ? 1200 : 2200)) / sampleRate
    out[i] = Math.round(Math.sin(phase) * amp)
  }
  return out
}
