package org.parley.server.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;

/**
 * The directory (LDAP / Active Directory) login settings {@code ldap-*} (docs/operations.md "Directory login").
 * Directory login is off when {@code urls} is empty.
 *
 * @param urls the directory servers, tried in this order (all {@code ldaps://}, or all {@code ldap://})
 * @param startTls whether an {@code ldap://} connection starts TLS (StartTLS) before anything else
 * @param allowPlaintext whether an {@code ldap://} URL without StartTLS is accepted (passwords in clear)
 * @param caFile PEM file of the certificate authorities trusted for the directory's certificate; null: the
 *        JDK's trust store (the system's)
 * @param bindDn the service account that searches for users (empty: search anonymously)
 * @param bindPassword that account's password, read from {@code ldap-bind-password-file}
 * @param searchBase where users are searched (subtree)
 * @param userFilter the search filter; {@code {0}} is replaced by the login name, escaped (RFC 4515)
 * @param displayNameAttribute the attribute that gives the display name (then {@code cn}, then the user name)
 * @param adminGroup DN of the group whose members are Parley administrators; null: not by group
 * @param adminFilter a filter that the entry of a Parley administrator matches (read on the entry itself); null:
 *        not by filter. With neither, the directory does not decide who is an administrator
 * @param connectTimeoutMillis how long connecting to one directory server may take
 * @param responseTimeoutMillis how long one directory operation may take
 * @param directoryOnly whether only directory accounts sign in (local logins, registrations and accounts off)
 * @param threads threads that talk to the directory for logins
 * @param maxPending directory logins waiting for or using those threads; more are refused with RATE_LIMITED
 * @param recheckSeconds how often the entries of signed-in directory users are checked again
 */
public record DirectorySettings(List<LDAPURL> urls, boolean startTls, boolean allowPlaintext, Path caFile,
        String bindDn, String bindPassword, String searchBase, String userFilter, String displayNameAttribute,
        String adminGroup, int connectTimeoutMillis, int responseTimeoutMillis, boolean directoryOnly, int threads,
        int maxPending, int recheckSeconds, String adminFilter) {

    /** The settings' names, defaults and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("ldap-url", new String[] {"", "directory servers for directory (LDAP / Active Directory) "
            + "login, comma-separated, tried in order: ldaps://HOST[:PORT] or ldap://HOST[:PORT] (off when empty)"});
        settings.put("ldap-starttls", new String[] {"true", "start TLS on ldap:// connections (StartTLS)"});
        settings.put("ldap-allow-plaintext", new String[] {"false",
            "accept ldap:// without StartTLS (directory passwords cross the network in clear)"});
        settings.put("ldap-ca-file", new String[] {"",
            "PEM file of the CAs trusted for the directory's certificate (empty = the system trust store)"});
        settings.put("ldap-bind-dn", new String[] {"", "DN of the service account that searches for users (Active "
            + "Directory also takes user@domain; empty = search anonymously)"});
        settings.put("ldap-bind-password-file", new String[] {"",
            "file holding that account's password (one line; keep it readable only by the server's user)"});
        settings.put("ldap-search-base", new String[] {"", "DN under which users are searched (subtree)"});
        settings.put("ldap-user-filter", new String[] {"(&(objectClass=person)(uid={0}))",
            "filter that finds a user; {0} is the login name, escaped (add clauses to exclude disabled users)"});
        settings.put("ldap-display-name-attribute", new String[] {"displayName",
            "attribute holding the display name (then cn, then the user name)"});
        settings.put("ldap-admin-group", new String[] {"", "DN of a group whose members are Parley administrators "
            + "(member, uniqueMember or the user's memberOf); empty = the directory does not decide who is admin"});
        settings.put("ldap-admin-filter", new String[] {"", "filter that the entry of a Parley administrator matches, "
            + "e.g. AD's nested groups (memberOf:1.2.840.113556.1.4.1941:=GROUP-DN); with ldap-admin-group, either "
            + "makes an administrator"});
        settings.put("ldap-connect-timeout-ms", new String[] {"5000", "how long connecting to a directory server "
            + "may take before the next one is tried"});
        settings.put("ldap-response-timeout-ms", new String[] {"10000", "how long one directory operation may take"});
        settings.put("ldap-only", new String[] {"false", "only directory accounts sign in: local logins, "
            + "registration and local account creation are refused"});
        settings.put("ldap-threads", new String[] {"4", "threads that talk to the directory for logins"});
        settings.put("ldap-max-pending", new String[] {"32", "directory logins waiting for or using those "
            + "threads; more are refused with RATE_LIMITED"});
        settings.put("ldap-recheck-seconds", new String[] {"300", "how often signed-in directory users are looked "
            + "up again: one no longer found (disabled or deleted) loses its sessions"});
    }

    /** Reads and checks the settings; {@code number} parses and range-checks a whole number setting. */
    public static DirectorySettings from(Map<String, String> v, NumberSetting number) {
        String urlList = v.get("ldap-url").strip();
        boolean startTls = flag(v, "ldap-starttls");
        boolean plaintext = flag(v, "ldap-allow-plaintext");
        boolean only = flag(v, "ldap-only");
        int connect = (int) number.get("ldap-connect-timeout-ms", 100, 600_000);
        int response = (int) number.get("ldap-response-timeout-ms", 100, 600_000);
        int threads = (int) number.get("ldap-threads", 1, 256);
        int pending = (int) number.get("ldap-max-pending", 1, 100_000);
        int recheck = (int) number.get("ldap-recheck-seconds", 10, 86_400);
        if (urlList.isEmpty()) {
            if (only) {
                throw new IllegalArgumentException("ldap-only needs a directory: set ldap-url");
            }
            return new DirectorySettings(List.of(), startTls, plaintext, null, "", "", "", v.get("ldap-user-filter"),
                    v.get("ldap-display-name-attribute"), null, connect, response, false, threads, pending, recheck,
                    null);
        }
        List<LDAPURL> urls = new ArrayList<>();
        for (String s : urlList.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            LDAPURL url;
            try {
                url = new LDAPURL(s.strip());
            } catch (LDAPException e) {
                throw new IllegalArgumentException("ldap-url: '" + s.strip() + "' is not an LDAP URL ("
                        + e.getMessage() + ")");
            }
            if (!urls.isEmpty() && !urls.get(0).getScheme().equalsIgnoreCase(url.getScheme())) {
                throw new IllegalArgumentException("ldap-url: use ldaps:// for every server or ldap:// for every "
                        + "server, not both");
            }
            urls.add(url);
        }
        boolean ldaps = urls.get(0).getScheme().equalsIgnoreCase("ldaps");
        if (!ldaps && !startTls && !plaintext) {
            throw new IllegalArgumentException("ldap-url uses ldap:// with ldap-starttls=false: directory passwords "
                    + "would cross the network in clear; use ldaps://, or StartTLS, or set ldap-allow-plaintext=true");
        }
        String ca = v.get("ldap-ca-file").strip();
        Path caFile = ca.isEmpty() ? null : Path.of(ca);
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new IllegalArgumentException("ldap-ca-file: cannot read " + caFile);
        }
        String bindDn = v.get("ldap-bind-dn").strip();
        String passwordFile = v.get("ldap-bind-password-file").strip();
        String password = "";
        if (!bindDn.isEmpty()) {
            // A DN; Active Directory also takes its user@domain form, so no DN syntax is required here.
            if (passwordFile.isEmpty()) {
                throw new IllegalArgumentException("ldap-bind-dn needs ldap-bind-password-file (the password is "
                        + "never given on the command line)");
            }
            try {
                password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
            } catch (IOException e) {
                throw new IllegalArgumentException("ldap-bind-password-file: cannot read " + passwordFile + " ("
                        + e.getMessage() + ")");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("ldap-bind-password-file " + passwordFile + " is empty (an empty "
                        + "password would be an anonymous bind)");
            }
        }
        String base = v.get("ldap-search-base").strip();
        if (base.isEmpty()) {
            throw new IllegalArgumentException("ldap-url needs ldap-search-base (the DN under which users are)");
        }
        requireDn("ldap-search-base", base);
        String filter = v.get("ldap-user-filter").strip();
        if (!filter.contains("{0}")) {
            throw new IllegalArgumentException("ldap-user-filter must contain {0} (the login name), was '" + filter
                    + "'");
        }
        try {
            Filter.create(filter.replace("{0}", "x"));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("ldap-user-filter is not an LDAP filter: '" + filter + "' ("
                    + e.getMessage() + ")");
        }
        String attribute = v.get("ldap-display-name-attribute").strip();
        if (!attribute.matches("[A-Za-z][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException("ldap-display-name-attribute must be an attribute name, was '"
                    + attribute + "'");
        }
        String group = v.get("ldap-admin-group").strip();
        if (!group.isEmpty()) {
            requireDn("ldap-admin-group", group);
        }
        String adminFilter = v.get("ldap-admin-filter").strip();
        if (!adminFilter.isEmpty()) {
            try {
                Filter.create(adminFilter);
            } catch (LDAPException e) {
                throw new IllegalArgumentException("ldap-admin-filter is not an LDAP filter: '" + adminFilter + "' ("
                        + e.getMessage() + ")");
            }
        }
        return new DirectorySettings(List.copyOf(urls), startTls, plaintext, caFile, bindDn, password, base, filter,
                attribute, group.isEmpty() ? null : group, connect, response, only, threads, pending, recheck,
                adminFilter.isEmpty() ? null : adminFilter);
    }

    /** Whether directory login is on. */
    public boolean enabled() {
        return !urls.isEmpty();
    }

    /** Whether connections use ldaps:// (TLS from the first byte). */
    public boolean ldaps() {
        return enabled() && urls.get(0).getScheme().equalsIgnoreCase("ldaps");
    }

    /** Never shows the bind password. */
    @Override
    public String toString() {
        return "DirectorySettings[urls=" + urls + ", startTls=" + startTls + ", bindDn=" + bindDn + ", searchBase="
                + searchBase + ", userFilter=" + userFilter + ", adminGroup=" + adminGroup + ", adminFilter=" + adminFilter + ", directoryOnly="
                + directoryOnly + "]";
    }

    /** Parses a whole-number setting within bounds (ServerConfig's, so that errors read the same). */
    @FunctionalInterface
    public interface NumberSetting {
        long get(String name, long min, long max);
    }

    private static void requireDn(String name, String dn) {
        try {
            new DN(dn);
        } catch (LDAPException e) {
            throw new IllegalArgumentException(name + " is not a DN: '" + dn + "' (" + e.getMessage() + ")");
        }
    }

    private static boolean flag(Map<String, String> v, String name) {
        String s = v.get(name).strip().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(name + " must be true or false, was '" + v.get(name) + "'");
    }
}
