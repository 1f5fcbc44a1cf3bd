/** Text matching that looks through the bidi isolates the app puts around values (src/shared/i18n/bidi.ts). */
/**
 * A pattern for text as a person reads it, whatever bidi isolates (U+2066..U+2069) the app put around the values
 * in it: `shownText('1 phone device', true)` matches '\u20681\u2069 phone device'.
 */
export function shownText(text: string, whole = false): RegExp {
  const body = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\u2066-\\u2069]*')
  return new RegExp(whole ? `^[\\u2066-\\u2069]*${body}[\\u2066-\\u2069]*$` : body)
}

/** Text as a person reads it: without the bidi isolates (U+2066..U+2069) the app puts around values. */
export const withoutIsolates = (text: string): string => text.replace(/[\u2066-\u2069]/g, '')
