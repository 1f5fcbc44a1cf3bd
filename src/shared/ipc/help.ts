/**
 * The help domain (issue 25): how to reach support, the person's support requests (ask with the diagnostics
 * report attached, answer, close) and the search for shops that sell Re-Up cards. Every command passes one
 * service route through; the report the renderer attaches is the one diagnostics.inspect makes (serials masked).
 */
import { domain } from './define'
import { pass } from './passthrough'

export const helpDomain = domain({
  name: 'help',
  commands: {
    'help.contact': pass('supportContact', 'The provider’s support email and phone, for anyone.'),
    'help.requests': pass('supportRequests', 'The account’s support requests with their replies.'),
    'help.create': pass('createSupportRequest', 'Asks support; may attach the diagnostics report.'),
    'help.reply': pass('replySupportRequest', 'Writes again on one of the account’s open requests.'),
    'help.close': pass('closeSupportRequest', 'Closes one of the account’s requests.'),
    'help.shops': pass('shopSearch', 'Shops that sell Re-Up cards near a city or ZIP, nearest first.')
  },
  events: {}
})
