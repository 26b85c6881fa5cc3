/**
 * UI tests: Parley's parts on a real SWT display in a real OSGi runtime, against a real server process. SWTBot is
 * not on Maven Central, so the tests drive SWT directly (see docs/decisions/ui-testing.md).
 */
package org.parley.ui.tests;
