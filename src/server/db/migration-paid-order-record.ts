/**
 * Migration 0034 (paid order record): a paid order is recorded once, in the order (issue 24 goal 8: a renewal at
 * least a tenth of a bare INSERT). Both fulfilments also wrote an `order.paid` row into `audit_events` holding the
 * order's id and total, facts the order row keeps itself (its status, `paid_at`, `charge_id`, total and account),
 * and nothing read it: the app, the ops CLI and the exports show paid orders from the orders, and the one report
 * that reads audit rows counts automatic renewals from `renewal.charged` (ops/reports.ts), which stays, as do
 * `order.failed` and the rest. The row cost each renewal a heap tuple, two index entries and a statement.
 *
 * PostgreSQL's `renewal_fulfil` (0030, 0031) gets an overload without its two audit arguments and without the
 * INSERT, which the service now calls. The 21-argument function stays: during a rolling start a process of the
 * version before still calls it (and still writes its audit row); a later migration may drop it. Its grant's INSERT no longer says `ON
 * CONFLICT DO NOTHING`: a grant already written for a pending order's item cannot happen and undid the whole
 * anyway; a plain INSERT undoes it the same way (a unique violation instead of our own exception, both read as
 * 'slow' by renewal-fast.ts) without the speculative insertion's extra work on every renewal. Audit rows written
 * before this stay where they are.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function paidOrderRecord(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (dialect !== 'postgres') return
      await sql`
CREATE FUNCTION renewal_fulfil(
  p_order_id text, p_charge_id text, p_now text, p_line_id text, p_sub_plan_id text, p_paid_through text,
  p_plan_id text, p_auto_renew boolean, p_method_id text, p_grant_id text, p_source_id text, p_start text,
  p_end text, p_account_id text, p_msg_id text, p_subject text, p_body text, p_key text, p_answer text
) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_line_status text;
  v_number text;
  v_sub_id text;
  v_sub_plan text;
  v_sub_status text;
  v_sub_reason text;
  v_through text;
BEGIN
  SELECT status, phone_number INTO v_line_status, v_number FROM lines WHERE id = p_line_id FOR UPDATE;
  IF NOT FOUND THEN RETURN 'slow'; END IF;
  -- In service stays in service; pending for want of a number or an E911 address (never activated, not held)
  -- stays pending. Any other line's state may follow the grant: syncLine decides it on the general path.
  IF v_line_status = 'pending' THEN
    IF EXISTS (SELECT 1 FROM sip_accounts WHERE line_id = p_line_id)
       OR EXISTS (SELECT 1 FROM line_suspensions WHERE line_id = p_line_id AND restored_at IS NULL)
       OR (v_number IS NOT NULL
           AND EXISTS (SELECT 1 FROM e911_addresses WHERE line_id = p_line_id AND superseded_at IS NULL))
    THEN RETURN 'slow'; END IF;
  ELSIF v_line_status <> 'in_service' THEN RETURN 'slow';
  END IF;
  SELECT id, plan_id, status, cancel_reason INTO v_sub_id, v_sub_plan, v_sub_status, v_sub_reason
    FROM subscriptions WHERE line_id = p_line_id;
  IF NOT FOUND OR v_sub_plan <> p_sub_plan_id
     OR (v_sub_status = 'canceled' AND v_sub_reason = 'voluntary') THEN RETURN 'slow'; END IF;
  SELECT max(ends_at) INTO v_through FROM coverage_grants WHERE line_id = p_line_id AND voided_at IS NULL;
  IF v_through IS DISTINCT FROM p_paid_through THEN RETURN 'slow'; END IF;
  -- The answer a replay gets: in the order itself when the order holds the request's key (p_key null).
  UPDATE checkout_orders SET status = 'paid', charge_id = p_charge_id, updated_at = p_now, paid_at = p_now,
      response_body = CASE WHEN p_key IS NULL THEN p_answer ELSE response_body END
    WHERE id = p_order_id AND status = 'pending_payment';
  IF NOT FOUND THEN RETURN 'taken'; END IF;
  UPDATE subscriptions SET plan_id = p_plan_id, status = 'active', cancel_at_period_end = 0, canceled_at = NULL,
      cancel_reason = NULL, dunning_attempts = 0, next_attempt_at = NULL,
      auto_renew = CASE WHEN p_auto_renew THEN 1 ELSE auto_renew END,
      payment_method_id = CASE WHEN p_auto_renew THEN p_method_id ELSE payment_method_id END,
      updated_at = p_now
    WHERE id = v_sub_id;
  -- Unique per order item: a grant already there cannot happen while the order was pending; if it does, the
  -- unique violation undoes everything above and the caller runs the general path.
  INSERT INTO coverage_grants (id, line_id, starts_at, ends_at, source_type, source_id, voided_at, created_at)
    VALUES (p_grant_id, p_line_id, p_start, p_end, 'order', p_source_id, NULL, p_now);
  INSERT INTO outbox (id, channel, recipient, subject, body, purpose, account_id, created_at, next_attempt_at,
      attachments)
    SELECT p_msg_id, 'email', address, p_subject, p_body, 'receipt', p_account_id, p_now, p_now, NULL
    FROM account_emails WHERE account_id = p_account_id AND verified_at IS NOT NULL
    ORDER BY preferred DESC, created_at LIMIT 1;
  IF p_key IS NOT NULL THEN
    UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = p_answer,
        updated_at = p_now
      WHERE account_id = p_account_id AND key = p_key;
  END IF;
  RETURN 'done';
END
$fn$`.execute(db)
    }
  }
}
