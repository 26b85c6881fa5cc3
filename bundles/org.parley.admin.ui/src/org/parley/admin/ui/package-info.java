/**
 * The Administration part (users, invitations, groups, the server's status, the audit log) and the command that
 * opens it, enabled only for administrators. Internal: nothing here is API.
 */
package org.parley.admin.ui;
