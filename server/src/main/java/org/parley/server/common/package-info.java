/**
 * Small types every feature package shares: the error that becomes an error frame ({@link
 * org.parley.server.common.ParleyException}), who is asking ({@link org.parley.server.common.Caller}), and the
 * registry that maps request types to the feature that handles them ({@link org.parley.server.common.Handlers}).
 */
package org.parley.server.common;
