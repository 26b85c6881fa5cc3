package org.parley.server.admin.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;

/**
 * {@code parley-server admin [options] COMMAND …}: the admin requests (docs/protocol.md, "Admin") against a running
 * server, signed in as an administrator, for people and scripts (docs/operations.md, "Administration from the
 * command line"). The password comes from {@code --password-file}, the environment or a prompt, never from the
 * command line. Output is for people, or JSON with {@code --json}; the exit code says what happened ({@link Exit}).
 */
public final class AdminCli {

    static final String USER_ENV = "PARLEY_ADMIN_USER";
    static final String PASSWORD_ENV = "PARLEY_ADMIN_PASSWORD";
    static final String NEW_PASSWORD_ENV = "PARLEY_NEW_PASSWORD";

    /** Options that take a value, with the commands that accept them ("" = every command). */
    private static final Map<String, Set<String>> VALUED = Map.ofEntries(Map.entry("--host", Set.of("")),
            Map.entry("--port", Set.of("")), Map.entry("--user", Set.of("")), Map.entry("--password-file", Set.of("")),
            Map.entry("--ca-file", Set.of("")), Map.entry("--fingerprint", Set.of("")),
            Map.entry("--known-servers", Set.of("")), Map.entry("--timeout", Set.of("")),
            Map.entry("--display-name", Set.of("users create")),
            Map.entry("--new-password-file", Set.of("users create")), Map.entry("--limit", Set.of("audit")),
            Map.entry("--before", Set.of("audit")));
    private static final Map<String, Set<String>> FLAGS = Map.of("--json", Set.of(""), "--plaintext", Set.of(""),
            "--reset-code", Set.of("users create"));

    private final Terminal terminal;
    private final Map<String, String> options = new HashMap<>();
    private final List<String> words = new ArrayList<>();
    private Output output;

    private AdminCli(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Runs one command; returns the exit code ({@link Exit#code()}). Never calls System.exit. */
    public static int run(List<String> args, Terminal terminal) {
        return new AdminCli(terminal).run(args);
    }

    private int run(List<String> args) {
        boolean json = args.contains("--json");
        output = new Output(terminal.out(), json);
        if (args.isEmpty() || args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
            terminal.out().println(usage());
            return args.isEmpty() ? Exit.USAGE.code() : Exit.OK.code();
        }
        try {
            parse(args);
            execute();
            return Exit.OK.code();
        } catch (CliFailure f) {
            if (json) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("exit", f.exit().code());
                error.put("error", f.error() == null ? f.exit().name() : f.error().name());
                error.put("message", f.getMessage());
                terminal.err().println(Output.json(error));
            } else {
                terminal.err().println("parley-server admin: " + f.getMessage());
            }
            return f.exit().code();
        }
    }

    // ---- the command line

    private void parse(List<String> args) throws CliFailure {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                words.add(a);
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.equals("--password")) {
                throw usage("--password is not accepted: a password on the command line is seen by every user "
                        + "of the machine (ps, shell history). Use --password-file FILE, the environment variable "
                        + PASSWORD_ENV + ", or type it when asked");
            }
            if (VALUED.containsKey(name)) {
                String value;
                if (a.contains("=")) {
                    value = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw usage(name + " needs a value");
                }
                options.put(name, value);
            } else if (FLAGS.containsKey(name) && !a.contains("=")) {
                options.put(name, "true");
            } else {
                throw usage("unknown option " + a + " (see parley-server admin --help)");
            }
        }
        if (words.isEmpty()) {
            throw usage("no command (see parley-server admin --help)");
        }
        String command = command();
        for (String option : options.keySet()) {
            Set<String> where = VALUED.containsKey(option) ? VALUED.get(option) : FLAGS.get(option);
            if (!where.contains("") && !where.contains(command)) {
                throw usage(option + " does not go with '" + command + "' (see parley-server admin --help)");
            }
        }
    }

    /** "users create", "status", …: the first two words for the commands that have a second one. */
    private String command() {
        String first = words.get(0);
        boolean twoWords = Set.of("users", "invitations", "groups").contains(first) && words.size() > 1;
        return twoWords ? first + " " + words.get(1) : first;
    }

    private static CliFailure usage(String why) {
        return new CliFailure(Exit.USAGE, why);
    }

    /** The positional words after the command: exactly {@code names.length} of them. */
    private List<String> arguments(String... names) throws CliFailure {
        int skip = command().contains(" ") ? 2 : 1;
        List<String> rest = words.subList(skip, words.size());
        if (rest.size() != names.length) {
            throw usage("usage: parley-server admin " + command()
                    + (names.length == 0 ? "" : " " + String.join(" ", names))
                    + (rest.size() > names.length ? " (unexpected: " + String.join(" ", rest.subList(names.length,
                            rest.size())) + ")" : ""));
        }
        return rest;
    }

    private static long number(String what, String value) throws CliFailure {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw usage(what + " must be a whole number (got '" + value + "')");
        }
    }

    // ---- commands

    private void execute() throws CliFailure {
        Request request = plan(command()); // the command line is checked before anything is asked or sent
        String user = user();
        String password = password();
        try (ServerConnection server = connect()) {
            server.login(user, password);
            request.run(server);
            server.logout();
        }
    }

    /** One command against the signed-in connection. */
    @FunctionalInterface
    private interface Request {
        void run(ServerConnection server) throws CliFailure;
    }

    /** Checks the command's arguments and returns what it does once connected. */
    private Request plan(String command) throws CliFailure {
        return switch (command) {
            case "users list" -> {
                List<String> q = words.size() > 3 ? arguments("[QUERY]") : words.subList(2, words.size());
                yield s -> listUsers(s, q.isEmpty() ? "" : q.get(0));
            }
            case "users search" -> {
                String q = arguments("QUERY").get(0);
                yield s -> listUsers(s, q);
            }
            case "users create" -> createAccount(arguments("USER").get(0));
            case "users disable" -> {
                String user = arguments("USER").get(0);
                yield s -> {
                    s.request(new Accounts.DisableAccount(user));
                    output.done("disabled " + user + "; its sessions are revoked", Output.fields("user", user,
                            "disabled", true));
                };
            }
            case "users enable" -> {
                String user = arguments("USER").get(0);
                yield s -> {
                    s.request(new Admin.EnableAccount(user));
                    output.done("enabled " + user, Output.fields("user", user, "disabled", false));
                };
            }
            case "users reset-password" -> {
                String user = arguments("USER").get(0);
                yield s -> {
                    Admin.PasswordResetCode code = (Admin.PasswordResetCode) s.request(
                            new Admin.CreatePasswordReset(user));
                    output.resetCode(code);
                };
            }
            case "users make-admin", "users remove-admin" -> {
                String user = arguments("USER").get(0);
                boolean admin = command.equals("users make-admin");
                yield s -> {
                    s.request(new Admin.SetAdmin(user, admin));
                    output.done(user + (admin ? " is now an administrator" : " is no longer an administrator"),
                            Output.fields("user", user, "admin", admin));
                };
            }
            case "invitations create" -> {
                arguments();
                yield s -> output.invitation((Admin.InvitationCreated) s.request(new Admin.CreateInvitation()));
            }
            case "invitations list" -> {
                arguments();
                yield s -> output.invitations(((Admin.InvitationList) s.request(new Admin.ListInvitations()))
                        .invitations());
            }
            case "invitations revoke" -> {
                long id = number("the invitation id", arguments("ID").get(0));
                yield s -> revokeInvitation(s, id);
            }
            case "groups list" -> {
                arguments();
                yield this::listGroups;
            }
            case "groups delete" -> {
                long id = number("the group id", arguments("ID").get(0));
                yield s -> {
                    s.request(new Admin.DeleteGroup(id));
                    output.done("deleted group " + id + " with its messages and files", Output.fields("id", id,
                            "deleted", true));
                };
            }
            case "status" -> {
                arguments();
                yield s -> output.status((Admin.ServerStatus) s.request(new Admin.GetServerStatus()));
            }
            case "audit" -> {
                arguments();
                int limit = (int) number("--limit", options.getOrDefault("--limit", "50"));
                long before = number("--before", options.getOrDefault("--before", "0"));
                if (limit < 1 || limit > 200) {
                    throw usage("--limit must be between 1 and 200");
                }
                yield s -> output.audit((Admin.AuditPage) s.request(new Admin.ReadAuditLog(before, limit)));
            }
            default -> throw usage("unknown command '" + String.join(" ", words) + "' (see parley-server admin "
                    + "--help)");
        };
    }

    private void listUsers(ServerConnection s, String query) throws CliFailure {
        List<Admin.UserSummary> all = new ArrayList<>();
        String after = "";
        Admin.UserPage page;
        do {
            page = (Admin.UserPage) s.request(new Admin.ListUsers(query, after, 200));
            all.addAll(page.users());
            after = page.users().isEmpty() ? after : page.users().get(page.users().size() - 1).user();
        } while (page.more() && !page.users().isEmpty());
        output.users(all);
    }

    private void listGroups(ServerConnection s) throws CliFailure {
        List<Admin.GroupSummary> all = new ArrayList<>();
        long after = 0;
        Admin.GroupPage page;
        do {
            page = (Admin.GroupPage) s.request(new Admin.ListGroups(after, 100));
            all.addAll(page.groups());
            after = page.groups().isEmpty() ? after : page.groups().get(page.groups().size() - 1).id();
        } while (page.more() && !page.groups().isEmpty());
        output.groups(all);
    }

    /** The server answers CONFLICT for an unknown invitation and for a used or revoked one: the list tells which. */
    private void revokeInvitation(ServerConnection s, long id) throws CliFailure {
        try {
            s.request(new Admin.RevokeInvitation(id));
        } catch (CliFailure f) {
            if (f.error() == org.parley.protocol.ErrorCode.CONFLICT) {
                boolean known = ((Admin.InvitationList) s.request(new Admin.ListInvitations())).invitations()
                        .stream().anyMatch(i -> i.id() == id);
                if (!known) {
                    throw new CliFailure(Exit.NOT_FOUND, "no invitation " + id);
                }
            }
            throw f;
        }
        output.done("revoked invitation " + id, Output.fields("id", id, "revoked", true));
    }

    private Request createAccount(String user) throws CliFailure {
        String display = options.getOrDefault("--display-name", "");
        boolean withCode = options.containsKey("--reset-code");
        if (withCode && (options.containsKey("--new-password-file") || terminal.env(NEW_PASSWORD_ENV) != null)) {
            throw usage("--reset-code makes a random password: give no other new password");
        }
        String password;
        if (options.containsKey("--new-password-file")) {
            password = readSecret(options.get("--new-password-file"), "the new user's password");
        } else if (terminal.env(NEW_PASSWORD_ENV) != null) {
            password = terminal.env(NEW_PASSWORD_ENV);
        } else if (withCode) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        } else {
            password = null;
        }
        if (password == null) {
            char[] first = terminal.readPassword("Password for the new user " + user + ": ");
            if (first == null) {
                throw usage("no password for the new user: give --new-password-file FILE, set " + NEW_PASSWORD_ENV
                        + ", or --reset-code for a one-time code the user sets a password with");
            }
            char[] again = terminal.readPassword("The same password again: ");
            if (again == null || !Arrays.equals(first, again)) {
                throw usage("the two passwords differ; nothing was created");
            }
            password = new String(first);
        }
        String chosen = password;
        return s -> {
            s.request(new Admin.CreateAccount(user, chosen, display));
            if (!withCode) {
                output.done("created " + user, Output.fields("user", user, "created", true));
                return;
            }
            Admin.PasswordResetCode code = (Admin.PasswordResetCode) s.request(new Admin.CreatePasswordReset(user));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("user", user);
            json.put("created", true);
            json.put("code", code.code());
            json.put("expiresAt", code.expiresAt());
            output.done("created " + user + "; one-time code to set a password: " + code.code() + " (valid until "
                    + Output.time(code.expiresAt()) + ")", json);
        };
    }

    // ---- connecting and signing in

    private ServerConnection connect() throws CliFailure {
        String host = options.getOrDefault("--host", "localhost");
        long port = number("--port", options.getOrDefault("--port", String.valueOf(Protocol.DEFAULT_PORT)));
        if (port < 1 || port > 65535) {
            throw usage("--port must be between 1 and 65535");
        }
        long timeout = number("--timeout", options.getOrDefault("--timeout", "30"));
        if (timeout < 1) {
            throw usage("--timeout must be at least 1 (seconds)");
        }
        ServerTrust trust = null;
        if (!options.containsKey("--plaintext")) {
            Path knownServers = Path.of(options.getOrDefault("--known-servers",
                    Path.of(System.getProperty("user.home"), ".parley", "known_servers").toString()));
            trust = ServerTrust.of(host, (int) port, path("--ca-file"), options.get("--fingerprint"), knownServers);
        } else if (options.containsKey("--ca-file") || options.containsKey("--fingerprint")) {
            throw usage("--plaintext has no certificate to check: leave out --ca-file and --fingerprint");
        }
        return ServerConnection.open(host, (int) port, trust, Duration.ofSeconds(timeout));
    }

    private Path path(String option) {
        String value = options.get(option);
        return value == null ? null : Path.of(value);
    }

    private String user() throws CliFailure {
        String user = options.containsKey("--user") ? options.get("--user") : terminal.env(USER_ENV);
        if (user == null || user.isBlank()) {
            throw usage("who signs in? give --user NAME or set " + USER_ENV);
        }
        return user;
    }

    /** The administrator's password: --password-file, else the environment, else asked on the terminal. */
    private String password() throws CliFailure {
        if (options.containsKey("--password-file")) {
            return readSecret(options.get("--password-file"), "the password");
        }
        String fromEnv = terminal.env(PASSWORD_ENV);
        if (fromEnv != null) {
            return fromEnv;
        }
        char[] typed = terminal.readPassword("Password for " + user() + ": ");
        if (typed == null) {
            throw usage("no password: give --password-file FILE, set " + PASSWORD_ENV + ", or run on a terminal "
                    + "to type it");
        }
        return new String(typed);
    }

    /** The first line of {@code file} ("-": of standard input), without its line end. */
    private String readSecret(String file, String what) throws CliFailure {
        try {
            String line;
            if (file.equals("-")) {
                line = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8)).readLine();
            } else {
                try (BufferedReader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                    line = r.readLine();
                }
            }
            if (line == null || line.isEmpty()) {
                throw usage("no " + what + " in " + (file.equals("-") ? "standard input" : file)
                        + " (its first line is read)");
            }
            return line;
        } catch (IOException e) {
            throw usage("cannot read " + what + " from " + file + ": " + e);
        }
    }

    static String usage() {
        StringBuilder exits = new StringBuilder();
        for (Exit e : Exit.values()) {
            exits.append(String.format("  %d  %s%n", e.code(), e.meaning()));
        }
        return """
                parley-server admin: administer a RUNNING Parley server through its protocol, as an administrator

                usage: parley-server admin [options] COMMAND

                commands:
                  users list [QUERY]             every account (or those whose name or display name contains QUERY)
                  users search QUERY             the same, QUERY required
                  users create USER [--display-name NAME] [--new-password-file FILE | --reset-code]
                                                 a new account; its password from --new-password-file (- = stdin),
                                                 PARLEY_NEW_PASSWORD, or asked twice; --reset-code: a random one and
                                                 a one-time code printed for the user to set their own
                  users disable USER             disable the account (its sessions end at once)
                  users enable USER              enable it again
                  users reset-password USER      print a one-time password reset code for the user
                  users make-admin USER          make the user an administrator
                  users remove-admin USER        remove the user's administrator rights
                  invitations create             print a new single-use invitation code
                  invitations list               invitations, newest first
                  invitations revoke ID          revoke an unused invitation
                  groups list                    groups with their members
                  groups delete ID               delete a group for everyone, with its messages and files
                  status                         version, uptime, connections, accounts, storage
                  audit [--limit N] [--before ID]
                                                 the audit log, newest first (N: 1 to 200, default 50)

                options:
                  --host HOST                    the server (default localhost)
                  --port PORT                    its port (default 7443)
                  --user NAME                    the administrator signing in (or PARLEY_ADMIN_USER)
                  --password-file FILE           the password is FILE's first line (- = standard input); else
                                                 PARLEY_ADMIN_PASSWORD; else it is asked on the terminal. Never
                                                 on the command line (--password is refused)
                  --fingerprint SHA256           the server's self-signed certificate (printed at its start)
                  --known-servers FILE           pins (host:port=fingerprint), default ~/.parley/known_servers,
                                                 as the desktop client keeps them
                  --ca-file FILE                 the organization's CA certificates (PEM), besides the system's;
                                                 a CA-issued certificate must be issued for HOST
                  --plaintext                    for a server started with --plaintext (no TLS)
                  --timeout SECONDS              how long to wait for the server (default 30)
                  --json                         JSON on standard output (errors as JSON on standard error)

                exit codes:
                """ + exits;
    }
}
