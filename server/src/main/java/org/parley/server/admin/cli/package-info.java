/**
 * {@code parley-server admin …}: the admin requests from the command line against a running server, for people
 * and scripts. {@link org.parley.server.admin.cli.AdminCli} parses the command line and prints the answers (for
 * people, or JSON with {@code --json}) and ends with an {@link org.parley.server.admin.cli.Exit} code;
 * {@link org.parley.server.admin.cli.ServerConnection} is its protocol client (MINA with the protocol bundle's
 * codec, TLS trusted by {@link org.parley.server.admin.cli.ServerTrust} as the desktop client trusts a server).
 * Nothing here is used by the running server.
 */
package org.parley.server.admin.cli;
