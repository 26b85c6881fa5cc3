/**
 * Message search: {@link org.parley.server.search.SearchService} (SearchMessages, FetchAround), the index port
 * {@link org.parley.server.search.MessageIndex} (Lucene adapter in {@code search.lucene}), and
 * {@link org.parley.server.search.SearchIndexer}, which keeps the index up with the message store off the writer's
 * path.
 */
package org.parley.server.search;
