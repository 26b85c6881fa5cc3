/**
 * Administration: the admin requests (invitations, creating accounts, password resets, making admins, enabling
 * accounts), each refused with FORBIDDEN for non-admins, and the audit log every one of them writes.
 */
package org.parley.server.admin;
