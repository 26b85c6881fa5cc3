/** The Parley server's entry point, configuration and wiring of the feature packages. */
package org.parley.server;
