/**
 * How far back support's recovery of an account taken over (src/server/ops/accounts/security.ts) looks for 911
 * addresses to name: a takeover is found out within days (every change emails the account's addresses), and a month
 * covers one a person notices late without listing a business's every line. Apart from the routes so `dialtone-ops`
 * says it without loading their schemas.
 */
export const RECENT_E911_DAYS = 30
