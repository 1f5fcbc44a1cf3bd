/**
 * The business domain (issue 25 part 2): the signed-in person's role on the account, the people the administrator
 * invited, the monthly invoices and the documents asked for. Every command passes one service route through; the
 * service decides who may call which (src/shared/api/access.ts).
 */
import { domain } from './define'
import { pass } from './passthrough'

export const businessDomain = domain({
  name: 'business',
  commands: {
    'business.me': pass('membership', 'The signed-in person’s role on the account, and a line user’s line.'),
    'business.members': pass('members', 'The people invited to the business account, with their roles.'),
    'business.invite': pass('inviteMember', 'Invites someone by email with a role (and a line user’s line).'),
    'business.changeMember': pass('changeMember', 'Changes a person’s role or line.'),
    'business.resendInvitation': pass(
      'resendInvitation',
      'Sends a person who has not joined yet their invitation again, with a new code.'
    ),
    'business.removeMember': pass('removeMember', 'Removes a person; their sign-in closes.'),
    'business.invoices': pass('invoices', 'The monthly invoices, newest first.'),
    'business.invoicePdf': pass('invoicePdf', 'One invoice’s PDF, as issued.'),
    'business.emailInvoice': pass('emailInvoice', 'Emails one invoice to the account.'),
    'business.documents': pass('documentRequests', 'The documents asked for, and whether each is ready.'),
    'business.requestDocument': pass(
      'requestDocument',
      'Asks for a document (a signed statement of a period).'
    ),
    'business.documentFile': pass('documentFile', 'A fulfilled document’s PDF.')
  },
  events: {}
})
