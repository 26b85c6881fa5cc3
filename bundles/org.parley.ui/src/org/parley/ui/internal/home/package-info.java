/**
 * The chat area's empty state (not API): {@link org.parley.ui.internal.home.HomePart} tells a user with no chat open
 * what to do, and {@link org.parley.ui.internal.home.HomeAddon} shows it exactly while the main stack has no chat.
 */
package org.parley.ui.internal.home;
