/**
 * Helpers for Parley's UI tests (not part of the product): a real server process, driving SWT and the whole
 * application, screenshots, leaving a plug-in out. Depends on neither the contacts nor the chat plug-in, so that
 * the tests that leave those out can use it.
 */
package org.parley.ui.testing;
