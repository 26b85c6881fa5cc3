/** Handlers of the application's own commands: About, Quit, Sign out, Set status. */
package org.parley.ui.handlers;
