/** The search index in Apache Lucene: the adapter of {@link org.parley.server.search.MessageIndex}. */
package org.parley.server.search.lucene;
