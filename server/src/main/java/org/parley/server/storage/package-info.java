/**
 * The storage boundary: {@link org.parley.server.storage.Storage} hands out the feature packages' stores and is
 * the only way to data. Adapters live in sub-packages ({@code h2}, {@code postgresql}; what they share in
 * {@code jdbc}) and must pass the storage contract test suite unchanged.
 */
package org.parley.server.storage;
