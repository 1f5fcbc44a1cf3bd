/** The Account page's billing: the saved cards, the statement of the balance, and past orders with receipts. */
import { BillingHistory } from '../../components/account/BillingHistory'
import { Cards } from '../../components/account/Cards'

export function BillingSection(): React.JSX.Element {
  return (
    <>
      <Cards />
      <BillingHistory />
    </>
  )
}
