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
 */
export function accessNeed(platform: string, canOpen: boolean | null, ruleInstalled: boolean): AccessNeed {
  if (platform !== 'linux') return 'not-needed'
  if (canOpen === true) return 'granted'
  if (canOpen === false) return ruleInstalled ? 'needs-replug' : 'needs-rule'
  return ruleInstalled ? 'granted' : 'unknown'
}

/** The diagnostics' permission fact for the same answer. */
export const permissionFact = (need: AccessNeed, canOpen: boolean | null): 'ok' | 'denied' | 'unknown' =>
  need === 'needs-rule' || need === 'needs-replug' ? 'denied' : canOpen === null ? 'unknown' : 'ok'
