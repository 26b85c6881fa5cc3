-- Parley schema, version 7 (directory login; issue 14, "LDAP / Active Directory login").
-- An account signed in through the organization's directory keeps the DN of its directory entry; NULL marks a
-- local account (its password hash is Parley's). A directory account's password_hash is empty: its password lives
-- in the directory. Re-runnable (decisions/schema-migrations.md).
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS directory_dn VARCHAR(1024);
