/**
 * Who invoices: the seller's legal entity as printed on every invoice and signed statement (issue 25), from the
 * service's environment:
 *   DIALTONE_SELLER_NAME     the registered name             DIALTONE_SELLER_TAX_ID  tax / registration id
 *   DIALTONE_SELLER_ADDRESS  the registered postal address   DIALTONE_SELLER_EMAIL   the billing contact
 * Production refuses to start without all four: an invoice with made-up details is a legal document that lies,
 * and it cannot be corrected once issued (invoices are immutable), so failing at start is the safe choice. A
 * development or test service without them prints a clearly marked test seller instead, so `npm run server` and
 * the test suites work on a fresh machine. Setting only some of them is a mistake in any mode.
 */
export interface SellerConfig {
  readonly name: string
  readonly address: string
  readonly taxId: string
  readonly email: string
}

/** Marked as what it is on every document it reaches. */
export const TEST_SELLER: SellerConfig = {
  name: 'TEST SELLER, not a legal entity (development)',
  address: 'no address (development)',
  taxId: 'TEST-ONLY',
  email: 'billing@dialtone.invalid'
}

const KEYS = {
  name: 'DIALTONE_SELLER_NAME',
  address: 'DIALTONE_SELLER_ADDRESS',
  taxId: 'DIALTONE_SELLER_TAX_ID',
  email: 'DIALTONE_SELLER_EMAIL'
} as const

export function sellerFrom(
  env: NodeJS.ProcessEnv,
  mode: 'development' | 'production',
  fail: (message: string) => Error
): SellerConfig {
  const values = Object.fromEntries(
    Object.entries(KEYS).map(([field, key]) => [field, (env[key] ?? '').trim()])
  ) as Record<keyof SellerConfig, string>
  const missing = Object.entries(KEYS)
    .filter(([field]) => values[field as keyof SellerConfig] === '')
    .map(([, key]) => key)
  if (missing.length === Object.keys(KEYS).length && mode === 'development') return TEST_SELLER
  if (missing.length > 0)
    throw fail(
      `invoices print the seller's legal details: set ${missing.join(', ')}` +
        (mode === 'production' ? ' (production mode has no test seller)' : '')
    )
  for (const [field, v] of Object.entries(values))
    if (v.length > 200 || /\p{Cc}/u.test(v))
      throw fail(`${KEYS[field as keyof SellerConfig]} must be one line of at most 200 characters`)
  if (!/^[^\s@]{1,64}@[a-z0-9.-]{1,190}$/i.test(values.email))
    throw fail('DIALTONE_SELLER_EMAIL must be an email address')
  return values
}
