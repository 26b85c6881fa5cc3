package org.parley.server.config;

import java.util.Map;

/**
 * What the server keeps in its heap apart from its connections and the data it is handling (docs/operations.md,
 * "Memory"): the page caches of the embedded H2 database and of the MVStore message log, the search index's
 * indexing buffer and the cached user names. Each is filled as it is used and bounded by its setting; together with
 * the JVM's heap target (releng/scripts/server-jvm.sh) they make most of the server's memory when its connections
 * are idle.
 *
 * @param h2CacheMiB storage=h2: H2's page cache for the SQL database (accounts, conversations, members, and the
 *        messages with message-log=sql), in MiB
 * @param messageLogCacheMiB message-log=mvstore: the MVStore message log's page cache, in MiB
 * @param searchBufferMiB the search index's in-memory buffer of newly indexed messages, written out as a segment
 *        when full (and at each commit), in MiB
 * @param nameCacheEntries the user names of accounts kept in memory ({@link org.parley.server.accounts.NameCache}),
 *        the least recently used forgotten first
 */
public record MemorySettings(int h2CacheMiB, int messageLogCacheMiB, int searchBufferMiB, int nameCacheEntries) {

    static void addSettings(Map<String, String[]> settings) {
        settings.put("h2-cache-mib", new String[] {"16", "storage=h2: MiB of the H2 database's page cache (what "
            + "it keeps of accounts, conversations and members, and of messages with message-log=sql)"});
        settings.put("message-log-cache-mib", new String[] {"16",
            "message-log=mvstore: MiB of the message log's page cache (recent history is read from it)"});
        settings.put("search-buffer-mib", new String[] {"16", "MiB of newly indexed messages the search index "
            + "buffers before writing them out as a segment (more: fewer, larger segments under load)"});
        settings.put("name-cache-entries", new String[] {"100000", "user names of accounts kept in memory for "
            + "pushes and lists (about 150 bytes each); the least recently used are read again from storage"});
    }

    static MemorySettings from(Map<String, String> v) {
        return new MemorySettings(ServerConfig.intIn(v, "h2-cache-mib", 1, 65_536),
                ServerConfig.intIn(v, "message-log-cache-mib", 1, 65_536),
                ServerConfig.intIn(v, "search-buffer-mib", 1, 2_047),
                ServerConfig.intIn(v, "name-cache-entries", 16, 10_000_000));
    }

    /** The defaults (as {@code --help} gives them). */
    public static MemorySettings defaults() {
        return new MemorySettings(16, 16, 16, 100_000);
    }
}
