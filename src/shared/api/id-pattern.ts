/**
 * The shape of every id the service gives out (`<prefix>_<random>`), as a plain pattern: shared/api/common.ts's
 * zod schema is built from it, and code that must not carry zod checks with it directly (the renderer's setup
 * wizard, whose first page is measured without zod: issue 24 goal 2).
 */
export const ID_PATTERN = /^[a-z]{2,5}_[A-Za-z0-9_-]{10,40}$/
