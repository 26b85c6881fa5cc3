/**
 * Where Parley keeps secrets: Eclipse secure storage (encrypted, PBEWithHmacSHA512AndAES_256) for session tokens and
 * pinned server certificates, with a master password Parley contributes (see docs/decisions/secure-storage.md).
 * Internal to the application bundle.
 */
package org.parley.ui.secure;
