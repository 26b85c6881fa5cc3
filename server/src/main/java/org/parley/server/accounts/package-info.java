/**
 * Accounts: registration, password login (Argon2id), resumable session tokens, logout, and disabling accounts;
 * with the account records and the {@link org.parley.server.accounts.AccountStore} port.
 */
package org.parley.server.accounts;
