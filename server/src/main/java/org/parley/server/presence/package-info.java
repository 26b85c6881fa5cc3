/**
 * Who is online and what their contacts see: the registry of live connections ({@link
 * org.parley.server.common.OnlineUsers}) and the presence service that pushes changes to contacts.
 */
package org.parley.server.presence;
