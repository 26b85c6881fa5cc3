package org.parley.client.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One address of a Parley server: a host name (or IP address) and a port. A deployment of several nodes is given
 * as several addresses ({@link ParleyClient.Config#of(List)}); a host name that resolves to several IP addresses
 * is tried address by address too, with TLS still checked against the name.
 */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the server name is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port of " + host + " must be a number from 1 to 65535, not "
                    + port);
        }
    }

    /**
     * Several addresses as a user types them, separated by commas or spaces: {@code chat1.example.org:7443,
     * chat2.example.org:7443}; an entry without a port has {@code defaultPort}; an IPv6 address with a port is
     * written in brackets ({@code [::1]:7443}).
     *
     * @throws IllegalArgumentException for an empty list or a bad entry, saying which entry and why
     */
    public static List<ServerAddress> parseList(String text, int defaultPort) {
        List<ServerAddress> out = new ArrayList<>();
        for (String entry : text.strip().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                out.add(parse(entry, defaultPort));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no server address given (for example chat.example.org:7443)");
        }
        return List.copyOf(out);
    }

    /** One entry: {@code host}, {@code host:port}, {@code [ipv6]}, {@code [ipv6]:port} or a bare IPv6 address. */
    public static ServerAddress parse(String entry, int defaultPort) {
        String host = entry;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw bad(entry, "the IPv6 address has no closing ]");
            }
            host = entry.substring(1, close);
            String tail = entry.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    throw bad(entry, "only :port may follow the ]");
                }
                port = tail.substring(1);
            }
        } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
            host = entry.substring(0, entry.indexOf(':'));
            port = entry.substring(entry.indexOf(':') + 1);
        } // else: a name, or a bare IPv6 address (several colons) on the default port
        if (host.isEmpty()) {
            throw bad(entry, "the server name is missing");
        }
        int number = defaultPort;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw bad(entry, "the port must be a number from 1 to 65535");
            }
        }
        if (number < 1 || number > 65535) {
            throw bad(entry, "the port must be a number from 1 to 65535");
        }
        return new ServerAddress(host, number);
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("\"" + entry + "\" is not a server address: " + why);
    }

    /** {@code host:port} ({@code [ipv6]:port}), as {@link #parse} reads it back. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
