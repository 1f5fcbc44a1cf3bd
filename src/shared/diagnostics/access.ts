/**
 * Whether this user needs an access rule (the Linux udev rule) to open a dongle: the one answer both the setup's
 * permissions step and the diagnostics give, so they cannot disagree. What decides is whether the dongle's
 * device node can be opened by this user; the rule file only tells a missing rule from one that is installed but
 * not applied yet (the dongle must be plugged in again). Pure.
 */
export type AccessNeed = 'not-needed' | 'granted' | 'needs-rule' | 'needs-replug' | 'unknown'

/**
 * @param canOpen whether this user can open the dongle's HID node (null: not known, e.g. no node seen yet)
 * @param ruleInstalled whether Dialtone's udev rule is in one of the rule folders
 * @param virtual the virtual dongle: it has no device node, so there is nothing for a rule to grant
 */
export function accessNeed(
  platform: string,
  canOpen: boolean | null,
  ruleInstalled: boolean,
  virtual = false
): AccessNeed {
  if (platform !== 'linux' || virtual) return 'not-needed'
  if (canOpen === true) return 'granted'
  if (canOpen === false) return ruleInstalled ? 'needs-replug' : 'needs-rule'
  return ruleInstalled ? 'granted' : 'unknown'
}

/** The diagnostics' permission fact for the same answer. */
export const permissionFact = (need: AccessNeed, canOpen: boolean | null): 'ok' | 'denied' | 'unknown' =>
  need === 'needs-rule' || need === 'needs-replug' ? 'denied' : canOpen === null ? 'unknown' : 'ok'

/**
 * The Diagnostics page's "Device access" row from the same answer: the rule's state for this system, except that
 * when the only dongles present are ones no rule concerns (the virtual dongle) a missing rule is not a problem
 * ('virtual'), as the setup's permissions step says for that dongle. With no dongle at all, or a real one, a
 * missing rule is 'missing' (setup will install it when a USB dongle needs it).
 */
export function accessRow(
  platform: string,
  ruleInstalled: boolean,
  dongles: readonly { readonly virtual: boolean }[]
): 'not-needed' | 'installed' | 'missing' | 'virtual' {
  if (accessNeed(platform, null, ruleInstalled) === 'not-needed') return 'not-needed'
  if (ruleInstalled) return 'installed'
  const noneNeeds = dongles.every(
    (d) => accessNeed(platform, null, ruleInstalled, d.virtual) === 'not-needed'
  )
  return dongles.length > 0 && noneNeeds ? 'virtual' : 'missing'
}
