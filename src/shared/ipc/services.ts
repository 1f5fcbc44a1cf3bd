/**
 * The connected services domain (issue 25 part 1): a line's services with their fees and state, a switch's price
 * before it is confirmed, the switch itself (with the app's idempotency key) and the history of switches. Every
 * command passes one service route through.
 */
import { domain } from './define'
import { pass } from './passthrough'

export const servicesDomain = domain({
  name: 'services',
  commands: {
    'services.list': pass('lineServices', 'A line’s connected services: fee, conditions and state of each.'),
    'services.preview': pass(
      'previewServiceSwitch',
      'What switching a service on or off would charge or give back.'
    ),
    'services.switch': pass(
      'switchService',
      'Switches a service on or off for a line (charged per the tariff rules).'
    ),
    'services.history': pass('serviceHistory', 'The line’s history of service switches.')
  },
  events: {}
})
