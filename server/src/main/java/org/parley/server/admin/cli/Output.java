package org.parley.server.admin.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import org.parley.protocol.message.Admin;

/**
 * What the admin command line prints: for people, aligned columns and sentences with times in UTC (ISO 8601); with
 * {@code --json}, one JSON document per command whose fields are those of the protocol's answer (docs/protocol.md:
 * times in epoch milliseconds, sizes in bytes).
 */
final class Output {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private final PrintStream out;
    private final boolean json;

    Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    static String json(Object value) {
        return GSON.toJson(value);
    }

    /** An epoch-ms time in UTC to the second, or "-" for 0 (never). */
    static String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A JSON object with these names and values, in this order. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }

    /** A change done: a sentence, or its JSON object. */
    void done(String sentence, Map<String, ?> fields) {
        out.println(json ? json(fields) : sentence);
    }

    void users(List<Admin.UserSummary> users) {
        if (json) {
            out.println(json(Map.of("users", users)));
            return;
        }
        Table t = new Table("USER", "DISPLAY NAME", "ADMIN", "STATE", "CREATED", "LAST LOGIN", "FILES", "CONNECTIONS");
        for (Admin.UserSummary u : users) {
            t.row(u.user(), u.displayName(), u.admin() ? "admin" : "-", u.disabled() ? "disabled" : "enabled",
                    time(u.createdAt()), time(u.lastLoginAt()), bytes(u.quotaUsed()), String.valueOf(u.connections()));
        }
        t.print(out, users.size() + (users.size() == 1 ? " user" : " users"));
    }

    void resetCode(Admin.PasswordResetCode code) {
        if (json) {
            out.println(json(code));
        } else {
            out.println("password reset code for " + code.user() + ": " + code.code() + " (valid until "
                    + time(code.expiresAt()) + "; the user enters it with a new password when signing in)");
        }
    }

    void invitation(Admin.InvitationCreated invitation) {
        if (json) {
            out.println(json(invitation));
        } else {
            out.println("invitation " + invitation.id() + ": " + invitation.code() + " (single use, valid until "
                    + time(invitation.expiresAt()) + ")");
        }
    }

    void invitations(List<Admin.InvitationInfo> invitations) {
        if (json) {
            out.println(json(Map.of("invitations", invitations)));
            return;
        }
        long now = System.currentTimeMillis();
        Table t = new Table("ID", "STATE", "CREATED BY", "CREATED", "EXPIRES", "USED BY", "USED");
        for (Admin.InvitationInfo i : invitations) {
            String state = i.revoked() ? "revoked" : !i.usedBy().isEmpty() ? "used" : i.expiresAt() <= now
                    ? "expired" : "open";
            t.row(String.valueOf(i.id()), state, i.createdBy(), time(i.createdAt()), time(i.expiresAt()),
                    i.usedBy().isEmpty() ? "-" : i.usedBy(), time(i.usedAt()));
        }
        t.print(out, invitations.size() + (invitations.size() == 1 ? " invitation" : " invitations"));
    }

    void groups(List<Admin.GroupSummary> groups) {
        if (json) {
            out.println(json(Map.of("groups", groups)));
            return;
        }
        Table t = new Table("ID", "TITLE", "CREATED", "MESSAGES", "MEMBERS");
        for (Admin.GroupSummary g : groups) {
            String members = String.join(", ", g.members())
                    + (g.members().size() < g.memberCount() ? " … (" + g.memberCount() + " in all)" : "");
            t.row(String.valueOf(g.id()), g.title(), time(g.createdAt()), String.valueOf(g.lastSeq()), members);
        }
        t.print(out, groups.size() + (groups.size() == 1 ? " group" : " groups"));
    }

    void status(Admin.ServerStatus s) {
        if (json) {
            out.println(json(s));
            return;
        }
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("version", s.version());
        lines.put("up since", time(s.startedAt()) + " (" + duration(s.now() - s.startedAt()) + ")");
        lines.put("connections", String.valueOf(s.connections()));
        lines.put("users online", String.valueOf(s.onlineUsers()));
        lines.put("accounts", String.valueOf(s.accounts()));
        lines.put("files stored", bytes(s.storedBytes()));
        lines.put("free space", s.freeBytes() < 0 ? "unknown" : bytes(s.freeBytes()));
        lines.put("quota per user", bytes(s.quotaBytes()));
        lines.forEach((k, v) -> out.println(String.format("%-15s %s", k + ":", v)));
    }

    void audit(Admin.AuditPage page) {
        if (json) {
            out.println(json(page));
            return;
        }
        Table t = new Table("ID", "WHEN", "WHO", "ACTION", "TARGET", "DETAIL");
        for (Admin.AuditEntry e : page.entries()) {
            t.row(String.valueOf(e.id()), time(e.at()), e.actor(), e.action(), e.target(), e.detail());
        }
        long oldest = page.entries().isEmpty() ? 0 : page.entries().get(page.entries().size() - 1).id();
        t.print(out, page.entries().size() + (page.entries().size() == 1 ? " entry" : " entries")
                + (page.more() ? "; older ones: --before " + oldest : ""));
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long millis) {
        long s = Math.max(0, millis / 1000);
        long d = s / 86_400;
        long h = s % 86_400 / 3600;
        long m = s % 3600 / 60;
        return d > 0 ? d + "d " + h + "h " + m + "m" : h > 0 ? h + "h " + m + "m" : m + "m " + s % 60 + "s";
    }

    /** Columns as wide as their widest cell, two spaces apart; a last line saying how many. */
    private static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(String... cells) {
            String[] clean = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                // One line per row whatever a display name or title holds.
                clean[i] = cells[i] == null || cells[i].isEmpty() ? "-" : cells[i].replaceAll("\\p{Cntrl}", " ");
            }
            rows.add(clean);
        }

        void print(PrintStream out, String summary) {
            int[] width = new int[rows.get(0).length];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            if (rows.size() > 1) {
                for (String[] r : rows) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < r.length; i++) {
                        line.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
                    }
                    out.println(line.toString().stripTrailing());
                }
            }
            out.println("(" + summary + ")");
        }
    }
}
