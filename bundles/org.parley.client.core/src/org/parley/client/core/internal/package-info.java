/** Implementation of the client core; not API (not exported by the bundle). */
package org.parley.client.core.internal;
