/** The Billing tab's history: the balance statement by period, and past card orders with their receipts. */
import { Orders } from './Orders'
import { Statement } from './Statement'

export function BillingHistory(): React.JSX.Element {
  return (
    <>
      <Statement />
      <Orders />
    </>
  )
}
