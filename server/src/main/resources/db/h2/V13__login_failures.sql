-- Parley schema, version 13 (several nodes; issue 16): failed password logins counted for every node, so that a
-- guesser spreading attempts over several nodes gets the budget of one (accounts.LoginThrottle, docs/security.md).
-- One row per account name or address key (kind 'account' or 'address') with failures, the last one's time and the
-- lock's end (ms since the epoch). Only a server with cluster=nats reads and writes it; a single node counts in
-- memory. Rows whose failures were forgotten are deleted now and then. Re-runnable (decisions/schema-migrations.md).
CREATE TABLE IF NOT EXISTS login_failures (
    kind VARCHAR(8) NOT NULL,
    name VARCHAR(200) NOT NULL,
    failures INT NOT NULL,
    last_failure BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (kind, name)
);
