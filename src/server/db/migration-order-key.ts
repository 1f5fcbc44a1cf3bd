/**
 * Migration 0031 (order key): a checkout's idempotency record folded into its order (issue 24 goal 8). The
 * common renewal (a lone line, a saved card) no longer claims its key in `idempotency_keys` and writes the answer
 * there later: the order row, unique per (account, key) since 0004, is the claim; it keeps the request's hash
 * (the same key with another request is refused), the request's lease (a request in progress answers "in
 * progress"; a crashed one's retry takes it over after the lease) and the answer a replay gets, written with the
 * paid mark (what the caller passes: the service keeps each item's paid-through, the rest is the order's own).
 * A refusal while pricing (no order made) and any 4xx after the order still go to `idempotency_keys`,
 * as before (checkout-keyed.ts). Orders made before this, and by the other checkouts, leave the three null.
 *
 * PostgreSQL's `renewal_fulfil` (0030) is replaced with the same arguments: given no key (`p_key` null) it writes
 * the answer into the order's paid mark instead of updating `idempotency_keys`.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function orderKey(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('checkout_orders').addColumn('request_hash', 'text').execute()
      await db.schema.alterTable('checkout_orders').addColumn('key_leased_at', 'text').execute()
      await db.schema.alterTable('checkout_orders').addColumn('response_body', 'text').execute()
      if (dialect !== 'postgres') return
      await sql`
CREATE OR REPLACE FUNCTION renewal_fulfil(
  p_order_id text, p_charge_id text, p_now text, p_line_id text, p_sub_plan_id text, p_paid_through text,
  p_plan_id text, p_auto_renew boolean, p_method_id text, p_grant_id text, p_source_id text, p_start text,
  p_end text, p_audit_id text, p_account_id text, p_audit_detail text, p_msg_id text, p_subject text,
  p_body text, p_key text, p_answer text
) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_line_status text;
  v_number text;
  v_sub subscriptions%ROWTYPE;
  v_through text;
  v_rows integer;
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
  SELECT * INTO v_sub FROM subscriptions WHERE line_id = p_line_id;
  IF NOT FOUND OR v_sub.plan_id <> p_sub_plan_id
     OR (v_sub.status = 'canceled' AND v_sub.cancel_reason = 'voluntary') THEN RETURN 'slow'; END IF;
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
    WHERE id = v_sub.id;
  INSERT INTO coverage_grants (id, line_id, starts_at, ends_at, source_type, source_id, voided_at, created_at)
    VALUES (p_grant_id, p_line_id, p_start, p_end, 'order', p_source_id, NULL, p_now)
    ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  -- Cannot happen while the order was pending (its grant is written with the paid mark); undone if it does.
  IF v_rows <> 1 THEN RAISE EXCEPTION 'renewal_fulfil: the order item was granted already'; END IF;
  INSERT INTO audit_events (id, at, account_id, kind, ip, detail)
    VALUES (p_audit_id, p_now, p_account_id, 'order.paid', NULL, p_audit_detail);
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
