/**
 * The Account page's business part (issue 25 part 2): the people (owner and administrators), the monthly
 * invoices and the documents asked for (owner, administrators and billing). Each part shows only when the
 * person's role may use it (components/business/role.tsx, from the table the service enforces).
 */
import { Allowed } from '../../components/business/role'
import { Documents } from '../../components/business/Documents'
import { Invoices } from '../../components/business/Invoices'
import { Members } from '../../components/business/Members'

export function BusinessSection(): React.JSX.Element {
  return (
    <>
      <Allowed routes={['members', 'inviteMember']}>
        <Members />
      </Allowed>
      <Allowed routes={['invoices']}>
        <Invoices />
      </Allowed>
      <Allowed routes={['documentRequests']}>
        <Documents />
      </Allowed>
    </>
  )
}
