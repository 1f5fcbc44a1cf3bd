/**
 * Digits as a person's keyboard types them, made the Latin digits every check and every command here expects.
 * A Persian keyboard types ۰-۹ (U+06F0-U+06F9), an Arabic one ٠-٩ (U+0660-U+0669); main's schemas, the service
 * and the carriers know only 0-9, so a phone number, a code, a card number, an area code or a ZIP typed in them
 * was refused. The numeric fields (src/renderer/src/components/Field.tsx's `latinDigits`, the phone fields
 * through typed-number.ts) pass what is typed through here before anything checks or sends it.
 *
 * Written here rather than taken from a package: the one well-kept candidate in the registry,
 * @persian-tools/persian-tools, is an anthology of some forty Persian text tools (a bundle and a dependency
 * for the renderer's first page) to do what these two lines do; `arabic-digits` is a one-person package with a
 * few hundred downloads a month. Both blocks start at a multiple of 16, so a digit's value is its code's low
 * nibble. Every other character, other scripts' digits included, is left as it is: a check names it.
 */

const EASTERN_DIGIT = /[\u0660-\u0669\u06f0-\u06f9]/g

/** `text` with its Persian and Arabic-Indic digits written 0-9; nothing else changes, not even the length. */
export function latinDigits(text: string): string {
  return text.replace(EASTERN_DIGIT, (d) => String.fromCharCode(0x30 + (d.charCodeAt(0) & 0x0f)))
}

/** The Arabic decimal separator (U+066B) a Persian or Arabic keyboard types in an amount. */
const ARABIC_DECIMAL_SEPARATOR = /\u066b/g

/** An amount as typed ('۱۲٫۵۰'), its digits Latin and its decimal separator a '.' ('12.50'). */
export function latinDecimal(text: string): string {
  return latinDigits(text).replace(ARABIC_DECIMAL_SEPARATOR, '.')
}
