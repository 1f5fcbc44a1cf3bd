/**
 * The HID usages Dialtone cares about (HID Usage Tables 1.5: Telephony 0x0B, LEDs 0x08, Consumer 0x0C,
 * Button 0x09). Usages are "extended": usage page in the high 16 bits, usage id in the low 16.
 */
export const PAGE = {
  genericDesktop: 0x01,
  led: 0x08,
  button: 0x09,
  telephony: 0x0b,
  consumer: 0x0c,
  vendorFirst: 0xff00
} as const

export const usage = (page: number, id: number): number => (page & 0xffff) * 0x10000 + (id & 0xffff)
export const pageOf = (u: number): number => (u >>> 16) & 0xffff
export const idOf = (u: number): number => u & 0xffff

/** Telephony page (0x0B). */
export const TEL = {
  phone: usage(PAGE.telephony, 0x01),
  handset: usage(PAGE.telephony, 0x04),
  headset: usage(PAGE.telephony, 0x05),
  keypad: usage(PAGE.telephony, 0x06),
  hookSwitch: usage(PAGE.telephony, 0x20),
  flash: usage(PAGE.telephony, 0x21),
  feature: usage(PAGE.telephony, 0x22),
  hold: usage(PAGE.telephony, 0x23),
  redial: usage(PAGE.telephony, 0x24),
  transfer: usage(PAGE.telephony, 0x25),
  drop: usage(PAGE.telephony, 0x26),
  phoneMute: usage(PAGE.telephony, 0x2f),
  send: usage(PAGE.telephony, 0x31),
  /** Phone Key 0..9, *, #: 0xB0..0xBB. */
  key0: usage(PAGE.telephony, 0xb0),
  keyPound: usage(PAGE.telephony, 0xbb)
} as const

/** LED page (0x08) indicators a phone can have. */
export const INDICATORS = ['mute', 'offHook', 'ring', 'messageWaiting', 'hold'] as const
export type Indicator = (typeof INDICATORS)[number]
export const LED: Readonly<Record<Indicator, number>> = {
  mute: usage(PAGE.led, 0x09),
  offHook: usage(PAGE.led, 0x17),
  ring: usage(PAGE.led, 0x18),
  messageWaiting: usage(PAGE.led, 0x19),
  hold: usage(PAGE.led, 0x20)
}

export const PHONE_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const
export type PhoneKey = (typeof PHONE_KEYS)[number]

/** The digit a Phone Key usage stands for, or null for any other usage. */
export function phoneKeyOf(u: number): PhoneKey | null {
  if (u < TEL.key0 || u > TEL.keyPound) return null
  return PHONE_KEYS[u - TEL.key0] ?? null
}
