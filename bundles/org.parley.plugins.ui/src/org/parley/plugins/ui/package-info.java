/**
 * Installing, updating and removing Parley features at run time with p2: {@link org.parley.plugins.ui.Installation}
 * is the running product's p2 profile (no UI), used by the Plug-ins dialog in {@code .internal} and by tests.
 */
package org.parley.plugins.ui;
