/**
 * Directory login: the {@link org.parley.server.directory.Directory} port the accounts feature signs users in
 * through, its settings, and {@link org.parley.server.directory.LdapDirectory}, the LDAP / Active Directory adapter
 * (UnboundID LDAP SDK; docs/decisions/ldap.md).
 */
package org.parley.server.directory;
