package org.parley.server.search;

import java.util.Map;

import org.parley.server.accounts.AccountPolicy.NumberSetting;

/**
 * The search settings (docs/operations.md).
 *
 * @param maxQueryChars longest query, in characters (after trimming)
 * @param maxQueryWords most words a query may have
 * @param defaultResults hits in a page when the request says 0
 * @param maxResults most hits in a page
 * @param maxAround most messages FetchAround gives on each side of the one asked for
 * @param queueBytes text of stored messages waiting for the indexer, at most; beyond it the indexer reads them
 *        back from storage instead
 * @param commitSeconds how often the index is made durable (what a crash loses is indexed again at start)
 * @param refreshMillis the least time between two refreshes of the index's searchers (what was indexed becomes
 *        searchable at a refresh: at once on a quiet server, within this time under load)
 */
public record SearchLimits(int maxQueryChars, int maxQueryWords, int defaultResults, int maxResults, int maxAround,
        long queueBytes, int commitSeconds, int refreshMillis) {

    /** The settings' names, defaults and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("search-max-query-chars", new String[] {"200", "longest message search query, in characters"});
        settings.put("search-max-query-words", new String[] {"16", "most words in a message search query"});
        settings.put("search-default-results", new String[] {"20", "search hits in a page when the client asks 0"});
        settings.put("search-max-results", new String[] {"100", "most search hits in one page"});
        settings.put("fetch-around-max", new String[] {"250",
            "most messages FetchAround returns on each side of the one asked for"});
        settings.put("search-queue-bytes", new String[] {String.valueOf(16 << 20), "message text waiting for the "
            + "search indexer in memory; beyond it the indexer reads the messages back from storage"});
        settings.put("search-commit-seconds", new String[] {"30",
            "how often the search index is made durable (after a crash the rest is indexed again at start)"});
        settings.put("search-refresh-millis", new String[] {"1000", "the least time between two refreshes of the "
            + "search index: a new message is searchable at once on a quiet server, within this time under load"});
    }

    /** Reads the settings; {@code number} parses and range-checks a whole number setting. */
    public static SearchLimits from(NumberSetting number) {
        int max = (int) number.get("search-max-results", 1, 1000);
        return new SearchLimits((int) number.get("search-max-query-chars", 1, 10_000),
                (int) number.get("search-max-query-words", 1, 100), (int) number.get("search-default-results", 1,
                        max), max, (int) number.get("fetch-around-max", 1, 500),
                number.get("search-queue-bytes", 0, Long.MAX_VALUE), (int) number.get("search-commit-seconds", 1,
                        3600), (int) number.get("search-refresh-millis", 0, 60_000));
    }

    public static SearchLimits defaults() {
        return new SearchLimits(200, 16, 20, 100, 250, 16 << 20, 30, 1000);
    }
}
