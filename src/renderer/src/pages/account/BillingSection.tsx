import { BillingHistory } from '../../components/account/BillingHistory'

/** The Account page's billing: the saved cards, the statement of the balance, and past orders with receipts. */
export function BillingSection(): React.JSX.Element {
  return (
    <>
      <BillingHistory />
    </>
  )
}
