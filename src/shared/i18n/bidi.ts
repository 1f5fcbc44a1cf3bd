/**
 * A left-to-right value (a phone number, an amount, a code, a path, an id) placed inside right-to-left text keeps
 * its own order only when isolated: U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE. Without it,
 * "+1 212 555 0100" inside Persian text shows as "0100 555 212 1+", and '/etc/udev/rules.d/x.rules' shows its
 * leading slash at the wrong end. FSI takes the value's own direction from its first strong letter; a value with
 * none (digits, '+', spaces, punctuation) is laid out left to right (UAX #9, rule X5c), which is how numbers read
 * in every language Dialtone speaks.
 *
 * The renderer's i18next applies it to every interpolated value (src/renderer/src/i18n/index.ts); a value shown
 * on its own, outside a sentence (a table cell, a figure), goes through it by hand.
 */
export const FSI = '\u2068'
export const PDI = '\u2069'

export const isolate = (value: string): string => `${FSI}${value}${PDI}`
