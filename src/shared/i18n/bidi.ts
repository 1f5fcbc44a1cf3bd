/**
 * A left-to-right value (a path, an id, a URL) placed inside a translated sentence keeps its own order in a
 * right-to-left language only when isolated: U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE.
 * Without it, '/etc/udev/rules.d/x.rules' inside Persian text shows its leading slash at the wrong end.
 */
export const isolate = (value: string): string => `\u2068${value}\u2069`
