/**
 * The administration plug-in's requests, without UI: {@link org.parley.admin.core.AdminClient} sends the server's
 * admin requests (users, invitations, groups, status, audit log) over the client's connection.
 */
package org.parley.admin.core;
