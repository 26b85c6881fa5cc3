package org.parley.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The generator's command line: {@code --name value} pairs; see {@link Main}. */
final class Options {

    final String target;
    final String variant;
    final String host;
    final int port;
    final String domain;
    final String scenario;
    final String out;
    final List<Long> serverPids = new ArrayList<>();
    /** The database's processes among the server's (PostgreSQL's postmaster), for its share of the CPU time. */
    final List<Long> dbPids = new ArrayList<>();
    final String prefix;
    final int localAddresses;
    private final String[] args;

    Options(String[] args) {
        this.args = args;
        target = get("--target", "parley");
        variant = get("--variant", "");
        host = get("--host", "127.0.0.1");
        port = Integer.parseInt(get("--port", "7443"));
        domain = get("--domain", "bench.local");
        scenario = get("--scenario", "one-to-one");
        out = get("--out", null);
        prefix = get("--prefix", "u" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36));
        localAddresses = Integer.parseInt(get("--local-addresses", "0"));
        for (String p : get("--server-pids", "").split(",")) {
            if (!p.isBlank()) {
                serverPids.add(Long.parseLong(p.trim()));
            }
        }
        for (String p : get("--db-pids", "").split(",")) {
            if (!p.isBlank()) {
                dbPids.add(Long.parseLong(p.trim()));
            }
        }
    }

    String get(String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(get(name, Integer.toString(fallback)));
    }

    int[] integers(String name, String fallback) {
        return Arrays.stream(get(name, fallback).split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    Target open() {
        return switch (target) {
            case "parley" -> new ParleyTarget(host, integers("--ports", Integer.toString(port)),
                    Boolean.parseBoolean(get("--tls", "false")), Boolean.parseBoolean(get("--tls-resumption", "true")));
            case "ejabberd", "prosody" -> new org.parley.bench.xmpp.XmppTarget(target, host, port, domain,
                    localAddresses);
            default -> throw new IllegalArgumentException("unknown target " + target);
        };
    }
}
