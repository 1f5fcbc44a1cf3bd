/** The Account page's billing: the saved cards, the balance statement, past orders with receipts, and refunds. */
import { BillingHistory } from '../../components/account/BillingHistory'
import { Cards } from '../../components/account/Cards'
import { Refunds } from '../../components/account/Refunds'

export function BillingSection(): React.JSX.Element {
  return (
    <>
      <Cards />
      <BillingHistory />
      <Refunds />
    </>
  )
}
