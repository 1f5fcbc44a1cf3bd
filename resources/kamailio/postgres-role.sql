-- The least-privilege role Kamailio connects to the service's PostgreSQL database with: it reads credentials
-- (subscriber, with each line's policy) and table versions, reads each line's blocked callers through a view (not
-- the tables behind it), and only appends call accounting. It can change nothing the service owns.
-- Run by a database owner after the service has migrated the database; :role and :password are psql
-- variables, e.g.  psql "$DIALTONE_DATABASE_URL" -v role=kamailio -v password=... -f postgres-role.sql
-- (test/integration/service/kamailio.test.ts runs this file to start Kamailio as that role).
CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
GRANT SELECT ON TABLE version, subscriber, kamailio_blocked_callers TO :"role";
GRANT INSERT ON TABLE acc, missed_calls TO :"role";
GRANT USAGE ON SEQUENCE acc_id_seq, missed_calls_id_seq TO :"role";
-- Carrier trunks (migration 0018): the views dispatcher, permissions and mtree read; never the tables behind them.
GRANT SELECT ON TABLE dispatcher, address, carrier_prefix_tree TO :"role";
-- Call forwarding (migration 0020): each line's rules through the view, never the table behind it.
GRANT SELECT ON TABLE kamailio_forwarding TO :"role";
-- Connected services (migration 0024): each line's enforced services through the view, never the tables behind it.
GRANT SELECT ON TABLE kamailio_services TO :"role";
-- Credit for calls abroad (migration 0041): an account's balance and international minutes, through the view.
GRANT SELECT ON TABLE kamailio_credit TO :"role";
