/**
 * The billing domain: plans, cards, a line's subscription and renewal, plan changes, vouchers, the balance,
 * usage, blocked numbers and device upgrade offers. Every command passes one service route through (same input, same answer); the
 * money-moving ones carry the idempotency key the renderer makes per intent and reuses on retry. Card numbers
 * go from the checkout form straight through main to the service's processor and are kept nowhere here.
 */
import { domain } from './define'
import { pass } from './passthrough'

export const billingDomain = domain({
  name: 'billing',
  commands: {
    'billing.plans': pass('plans', 'The plans on sale now, with price, interval and rules.'),
    'billing.paymentMethods': pass('paymentMethods', 'The account’s saved cards (brand, last 4, expiry).'),
    'billing.addPaymentMethod': pass(
      'addPaymentMethod',
      'Saves a card with the processor; keeps only its token.'
    ),
    'billing.removePaymentMethod': pass(
      'removePaymentMethod',
      'Removes a card (auto-renew on it switches off).'
    ),
    'billing.setDefaultPaymentMethod': pass(
      'setDefaultPaymentMethod',
      'Makes a card the one auto-renew and its retries charge, on every line.'
    ),
    'billing.subscription': pass(
      'subscription',
      'A line’s plan, coverage state, auto-renew, discount and change.'
    ),
    'billing.setAutoRenew': pass('setAutoRenew', 'Switches auto-renew on (conditions checked) or off.'),
    'billing.cancelSubscription': pass('cancelSubscription', 'Cancels at the end of the paid period.'),
    'billing.resumeSubscription': pass(
      'resumeSubscription',
      'Undoes a voluntary cancel (keeps the discount in time).'
    ),
    'billing.subscribeTariff': pass(
      'subscribeTariff',
      'Puts a line on a monthly tariff paid from the balance.'
    ),
    'billing.previewPlanChange': pass(
      'previewPlanChange',
      'What a plan change would cost and change, before confirming.'
    ),
    'billing.schedulePlanChange': pass('schedulePlanChange', 'Schedules a plan change for its date.'),
    'billing.cancelPlanChange': pass('cancelPlanChange', 'Cancels the pending plan change.'),
    'billing.quote': pass('quote', 'Prices a cart, discounts and notices included.'),
    'billing.checkout': pass('checkout', 'Pays a cart once per idempotency key and extends the lines.'),
    'billing.redeemVoucher': pass('redeemVoucher', 'Redeems a Re-Up card on a line.'),
    'billing.balance': pass('balance', 'Balance, last top-up and charge, promised payment, minutes packs.'),
    'billing.balanceEntries': pass(
      'balanceEntries',
      'The newest ledger entries, or a period’s with its opening and closing balance.'
    ),
    'billing.exportStatement': pass('exportStatement', 'A period’s statement as a CSV or PDF file.'),
    'billing.orders': pass('orders', 'Past card orders (checkouts, top-ups, devices) with receipt details.'),
    'billing.topUp': pass('topUp', 'Tops the balance up by card (repays a promised payment).'),
    'billing.promisedPayment': pass('promisedPayment', 'Takes a promised payment when eligible.'),
    'billing.buyMinutes': pass('buyMinutes', 'Buys an international minutes pack from the balance.'),
    'billing.usageSeries': pass('usageSeries', 'Daily or monthly consumption for a chart.'),
    'billing.callDetails': pass('callDetails', 'Itemised calls for a period.'),
    'billing.exportCallDetails': pass('exportCallDetails', 'Itemised calls as a CSV or PDF file.'),
    'billing.emailCallDetails': pass('emailCallDetails', 'Sends the itemised calls to the preferred email.'),
    'billing.blocked': pass('blocked', 'The account’s blocked numbers and the limit.'),
    'billing.block': pass('block', 'Blocks a number (or relabels a blocked one).'),
    'billing.unblock': pass('unblock', 'Unblocks a number.'),
    'billing.refusedCalls': pass(
      'refusedCalls',
      'Calls to the account’s lines the SIP server refused before they rang (blocked, offline).'
    ),
    'billing.upgradeOffers': pass('upgradeOffers', 'Device upgrade offers, and which lines may take them.'),
    'billing.orderUpgrade': pass('orderUpgrade', 'Orders an upgrade for a line, paid by card, once per key.'),
    'billing.deviceOrders': pass('deviceOrders', 'The account’s device orders.')
  },
  events: {}
})
