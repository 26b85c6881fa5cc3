package org.parley.server.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Conversations;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * {@code parley-server admin} against a real running server (TLS, its self-signed certificate pinned by
 * fingerprint): every command, as people and scripts ({@code --json}) read it, and each failure's exit code.
 * Users are named per test, so that the tests share one server.
 */
class AdminCliIT {

    @RegisterExtension
    static final ParleyServerExtension SERVER = new ParleyServerExtension().tls().with("--admins", "root");

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }

        JsonObject jsonError() {
            return JsonParser.parseString(err).getAsJsonObject();
        }
    }

    /** A terminal with an environment, standard input and the answers a person would type (null: no terminal). */
    static final class FakeTerminal implements Terminal {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Map<String, String> env = new HashMap<>();
        final Deque<String> typed = new ArrayDeque<>();
        final List<String> prompts = new ArrayList<>();
        final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(new byte[0]);

        @Override
        public PrintStream out() {
            return outStream;
        }

        @Override
        public PrintStream err() {
            return errStream;
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public String env(String name) {
            return env.get(name);
        }

        @Override
        public char[] readPassword(String prompt) {
            prompts.add(prompt);
            String answer = typed.poll();
            return answer == null ? null : answer.toCharArray();
        }
    }

    private static FakeTerminal as(String user) {
        FakeTerminal t = new FakeTerminal();
        t.env.put(AdminCli.USER_ENV, user);
        t.env.put(AdminCli.PASSWORD_ENV, "password-" + user);
        return t;
    }

    private static Run run(FakeTerminal t, String... args) {
        int exit = AdminCli.run(List.of(args), t);
        return new Run(exit, t.out.toString(StandardCharsets.UTF_8), t.err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command on the test server with its certificate's fingerprint. */
    private static Run admin(FakeTerminal t, String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(SERVER.port()),
                "--fingerprint", SERVER.server().certificateFingerprint()));
        all.addAll(List.of(args));
        return run(t, all.toArray(String[]::new));
    }

    private static Run root(String... args) {
        return admin(as("root"), args);
    }

    private static void ensureRoot() throws IOException {
        try (TestConnection c = SERVER.connect()) {
            Object answer = c.call(new Accounts.Login("root", "password-root", "test"));
            if (!(answer instanceof Accounts.LoggedIn)) {
                SERVER.register("root").close();
            }
        }
    }

    private static List<String> names(JsonArray array, String field) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : array) {
            out.add(e.getAsJsonObject().get(field).getAsString());
        }
        return out;
    }

    @Test
    void listsAndSearchesUsersForPeopleAndScripts() throws Exception {
        ensureRoot();
        SERVER.register("lina").close();
        SERVER.register("lino").close();
        SERVER.register("otto").close();

        Run all = root("users", "list");
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out()).contains("USER", "DISPLAY NAME", "ADMIN", "STATE").containsPattern("(?m)^lina +LINA +- +"
                + "enabled ").containsPattern("(?m)^root +ROOT +admin +enabled ");

        Run search = root("users", "search", "lin", "--json");
        assertThat(search.exit()).isZero();
        JsonArray users = search.json().getAsJsonArray("users");
        assertThat(names(users, "user")).containsExactly("lina", "lino");
        assertThat(users.get(0).getAsJsonObject().get("disabled").getAsBoolean()).isFalse();
        assertThat(users.get(0).getAsJsonObject().get("createdAt").getAsLong()).isPositive();

        assertThat(names(root("users", "list", "LIN", "--json").json().getAsJsonArray("users"), "user"))
                .containsExactly("lina", "lino");
    }

    @Test
    void createsAccountsWithAPasswordFromAFileTheEnvironmentAPromptOrAResetCode() throws Exception {
        ensureRoot();
        Path file = dir.resolve("new-password");
        Files.writeString(file, "carol's long password\n");
        Run created = root("users", "create", "carol", "--display-name", "Carol Chan", "--new-password-file",
                file.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("created carol");
        assertThat(SERVER.connect().request(new Accounts.Login("carol", "carol's long password", "t"),
                Accounts.LoggedIn.class).displayName()).isEqualTo("Carol Chan");

        FakeTerminal env = as("root");
        env.env.put(AdminCli.NEW_PASSWORD_ENV, "dan's long password");
        assertThat(admin(env, "users", "create", "dan").exit()).isZero();
        SERVER.connect().request(new Accounts.Login("dan", "dan's long password", "t"), Accounts.LoggedIn.class);

        FakeTerminal prompted = as("root");
        prompted.typed.add("eve's long password");
        prompted.typed.add("eve's long password");
        assertThat(admin(prompted, "users", "create", "eve").exit()).isZero();
        assertThat(prompted.prompts).containsExactly("Password for the new user eve: ", "The same password again: ");
        SERVER.connect().request(new Accounts.Login("eve", "eve's long password", "t"), Accounts.LoggedIn.class);

        FakeTerminal mistyped = as("root");
        mistyped.typed.add("fay's long password");
        mistyped.typed.add("fay's long passwort");
        Run differ = admin(mistyped, "users", "create", "fay");
        assertThat(differ.exit()).isEqualTo(Exit.USAGE.code());
        assertThat(differ.err()).contains("the two passwords differ; nothing was created");

        Run coded = root("users", "create", "gus", "--reset-code", "--json");
        assertThat(coded.exit()).isZero();
        String code = coded.json().get("code").getAsString();
        assertThat(SERVER.connect().request(new Accounts.ResetPassword("gus", code, "gus's own password", "t"),
                Accounts.LoggedIn.class).user()).isEqualTo("gus");

        Run taken = root("users", "create", "carol", "--new-password-file", file.toString());
        assertThat(taken.exit()).isEqualTo(Exit.REFUSED.code());
        assertThat(taken.err()).contains("taken");
        Files.writeString(file, "password\n");
        Run weak = root("users", "create", "hal", "--new-password-file", file.toString());
        assertThat(weak.exit()).as(weak.err()).isEqualTo(Exit.REFUSED.code());
    }

    @Test
    void disablesAndEnablesAccounts() throws Exception {
        ensureRoot();
        TestConnection ivy = SERVER.register("ivy");
        Run disabled = root("users", "disable", "ivy");
        assertThat(disabled.exit()).as(disabled.err()).isZero();
        assertThat(disabled.out()).contains("disabled ivy; its sessions are revoked");
        ivy.awaitClosed();
        assertThat(SERVER.connect().error(new Accounts.Login("ivy", "password-ivy", "t")).code())
                .isEqualTo(ErrorCode.ACCOUNT_DISABLED);
        assertThat(root("users", "search", "ivy").out()).containsPattern("(?m)^ivy .* disabled ");

        Run enabled = root("users", "enable", "ivy", "--json");
        assertThat(enabled.exit()).isZero();
        assertThat(enabled.json().get("disabled").getAsBoolean()).isFalse();
        SERVER.connect().request(new Accounts.Login("ivy", "password-ivy", "t"), Accounts.LoggedIn.class);

        Run unknown = root("users", "disable", "nobody-here");
        assertThat(unknown.exit()).isEqualTo(Exit.NOT_FOUND.code());
        assertThat(unknown.err()).contains("no user 'nobody-here'");
        assertThat(root("users", "disable", "root").exit()).as("not oneself").isEqualTo(Exit.REFUSED.code());
    }

    @Test
    void printsAPasswordResetCodeTheUserSetsANewPasswordWith() throws Exception {
        ensureRoot();
        SERVER.register("jon").close();
        Run reset = root("users", "reset-password", "jon");
        assertThat(reset.exit()).as(reset.err()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("password reset code for jon: (\\S+) \\(valid "
                + "until \\d{4}-\\d\\d-\\d\\dT").matcher(reset.out());
        assertThat(m.find()).as(reset.out()).isTrue();
        SERVER.connect().request(new Accounts.ResetPassword("jon", m.group(1), "jon's new password", "t"),
                Accounts.LoggedIn.class);

        Run json = root("users", "reset-password", "jon", "--json");
        assertThat(json.json().get("user").getAsString()).isEqualTo("jon");
        assertThat(json.json().get("expiresAt").getAsLong()).isGreaterThan(System.currentTimeMillis());
        assertThat(root("users", "reset-password", "nobody-here").exit()).isEqualTo(Exit.NOT_FOUND.code());
    }

    @Test
    void makesAndRemovesAdministrators() throws Exception {
        ensureRoot();
        SERVER.register("kim").close();
        assertThat(admin(as("kim"), "status").exit()).isEqualTo(Exit.FORBIDDEN.code());
        Run made = root("users", "make-admin", "kim");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("kim is now an administrator");
        assertThat(admin(as("kim"), "status").exit()).isZero();
        assertThat(root("users", "search", "kim").out()).containsPattern("(?m)^kim +KIM +admin ");

        Run removed = root("users", "remove-admin", "kim", "--json");
        assertThat(removed.exit()).isZero();
        assertThat(removed.json().get("admin").getAsBoolean()).isFalse();
        assertThat(admin(as("kim"), "status").exit()).isEqualTo(Exit.FORBIDDEN.code());
        Run bySetting = root("users", "remove-admin", "root");
        assertThat(bySetting.exit()).isEqualTo(Exit.REFUSED.code());
    }

    @Test
    void createsListsAndRevokesInvitations() throws Exception {
        ensureRoot();
        Run created = root("invitations", "create", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        long id = created.json().get("id").getAsLong();
        assertThat(created.json().get("code").getAsString()).isNotBlank();
        Run human = root("invitations", "create");
        assertThat(human.out()).containsPattern("invitation \\d+: \\S+ \\(single use, valid until ");

        Run list = root("invitations", "list");
        assertThat(list.out()).containsPattern("(?m)^" + id + " +open +root ");
        Run revoked = root("invitations", "revoke", String.valueOf(id));
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(root("invitations", "list").out()).containsPattern("(?m)^" + id + " +revoked +root ");
        JsonArray invitations = root("invitations", "list", "--json").json().getAsJsonArray("invitations");
        assertThat(invitations).anySatisfy(i -> {
            assertThat(i.getAsJsonObject().get("id").getAsLong()).isEqualTo(id);
            assertThat(i.getAsJsonObject().get("revoked").getAsBoolean()).isTrue();
        });

        Run again = root("invitations", "revoke", String.valueOf(id));
        assertThat(again.exit()).as("already revoked").isEqualTo(Exit.REFUSED.code());
        Run unknown = root("invitations", "revoke", "987654");
        assertThat(unknown.exit()).isEqualTo(Exit.NOT_FOUND.code());
        assertThat(unknown.err()).contains("no invitation 987654");
    }

    @Test
    void listsAndDeletesGroups() throws Exception {
        ensureRoot();
        TestConnection lea = SERVER.register("lea");
        SERVER.register("max").close();
        long id = lea.request(new Conversations.CreateGroup("Release team", List.of("max")),
                Conversations.ConversationInfo.class).id();

        Run list = root("groups", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("(?m)^" + id + " +Release team +\\S+ +\\d+ +lea, max$");
        JsonArray groups = root("groups", "list", "--json").json().getAsJsonArray("groups");
        assertThat(groups).anySatisfy(g -> {
            assertThat(g.getAsJsonObject().get("id").getAsLong()).isEqualTo(id);
            assertThat(g.getAsJsonObject().get("memberCount").getAsInt()).isEqualTo(2);
        });

        Run deleted = root("groups", "delete", String.valueOf(id));
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        lea.awaitPush(Conversations.ConversationRemoved.class);
        assertThat(root("groups", "list").out()).doesNotContain("Release team");
        assertThat(root("groups", "delete", String.valueOf(id)).exit()).isEqualTo(Exit.NOT_FOUND.code());
    }

    @Test
    void showsTheServersStatus() throws Exception {
        ensureRoot();
        Run status = root("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("version:", "up since:", "connections:", "accounts:", "files stored:",
                "quota per user:");
        JsonObject json = root("status", "--json").json();
        assertThat(json.get("accounts").getAsLong()).isPositive();
        assertThat(json.get("connections").getAsInt()).as("its own connection").isPositive();
        assertThat(json.get("now").getAsLong()).isGreaterThanOrEqualTo(json.get("startedAt").getAsLong());
    }

    @Test
    void readsTheAuditLogInPages() throws Exception {
        ensureRoot();
        SERVER.register("ned").close();
        root("users", "disable", "ned");
        root("users", "enable", "ned");
        Run audit = root("audit", "--limit", "2");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).containsPattern("(?m)^\\d+ +\\S+ +root +enable-account +ned")
                .containsPattern("(?m)^\\d+ +\\S+ +root +disable-account +ned");
        JsonObject page = root("audit", "--limit", "1", "--json").json();
        JsonObject newest = page.getAsJsonArray("entries").get(0).getAsJsonObject();
        assertThat(newest.get("action").getAsString()).isEqualTo("enable-account");
        assertThat(page.get("more").getAsBoolean()).isTrue();
        JsonObject older = root("audit", "--limit", "1", "--before", newest.get("id").getAsString(), "--json")
                .json();
        assertThat(older.getAsJsonArray("entries").get(0).getAsJsonObject().get("action").getAsString())
                .isEqualTo("disable-account");
        assertThat(root("audit", "--limit", "500").exit()).isEqualTo(Exit.USAGE.code());
    }

    @Test
    void everyCommandIsForbiddenToAUserWhoIsNotAnAdministrator() throws Exception {
        ensureRoot();
        SERVER.register("olga").close();
        SERVER.register("pia").close();
        Path file = dir.resolve("pw");
        Files.writeString(file, "a long enough password\n");
        List<List<String>> commands = List.of(List.of("users", "list"), List.of("users", "search", "p"),
                List.of("users", "create", "quin", "--new-password-file", file.toString()),
                List.of("users", "disable", "pia"), List.of("users", "enable", "pia"),
                List.of("users", "reset-password", "pia"), List.of("users", "make-admin", "olga"),
                List.of("users", "remove-admin", "root"), List.of("invitations", "create"),
                List.of("invitations", "list"), List.of("invitations", "revoke", "1"), List.of("groups", "list"),
                List.of("groups", "delete", "1"), List.of("status"), List.of("audit"));
        for (List<String> command : commands) {
            Run r = admin(as("olga"), command.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", command)).isEqualTo(Exit.FORBIDDEN.code());
            assertThat(r.err()).as(String.join(" ", command)).startsWith("parley-server admin: only administrators "
                    + "can");
        }
        Run json = admin(as("olga"), "status", "--json");
        assertThat(json.jsonError().get("exit").getAsInt()).isEqualTo(5);
        assertThat(json.jsonError().get("error").getAsString()).isEqualTo("FORBIDDEN");
        assertThat(json.out()).isEmpty();
        assertThat(SERVER.connect().request(new Accounts.Login("pia", "password-pia", "t"), Accounts.LoggedIn.class)
                .admin()).as("nothing changed").isFalse();
    }

    @Test
    void aWrongPasswordOrUnknownUserIsAnAuthenticationFailure() throws Exception {
        ensureRoot();
        FakeTerminal wrong = as("root");
        wrong.env.put(AdminCli.PASSWORD_ENV, "not the password");
        Run r = admin(wrong, "status");
        assertThat(r.exit()).isEqualTo(Exit.AUTHENTICATION.code());
        assertThat(r.err()).contains("wrong user name or password");
        assertThat(admin(as("nobody-at-all"), "status").exit()).isEqualTo(Exit.AUTHENTICATION.code());
        FakeTerminal wrongAgain = as("root");
        wrongAgain.env.put(AdminCli.PASSWORD_ENV, "not the password");
        Run json = admin(wrongAgain, "status", "--json");
        assertThat(json.jsonError().get("error").getAsString()).isEqualTo("AUTHENTICATION_FAILED");
    }

    @Test
    void thePasswordComesFromAFileStandardInputOrThePromptNeverTheCommandLine() throws Exception {
        ensureRoot();
        Path file = dir.resolve("admin-password");
        Files.writeString(file, "password-root\n");
        FakeTerminal noEnv = new FakeTerminal();
        assertThat(admin(noEnv, "--user", "root", "--password-file", file.toString(), "status").exit()).isZero();

        FakeTerminal stdin = new FakeTerminal();
        stdin.in = new ByteArrayInputStream("password-root\n".getBytes(StandardCharsets.UTF_8));
        assertThat(admin(stdin, "--user", "root", "--password-file", "-", "status").exit()).isZero();

        FakeTerminal prompted = new FakeTerminal();
        prompted.typed.add("password-root");
        assertThat(admin(prompted, "--user", "root", "status").exit()).isZero();
        assertThat(prompted.prompts).containsExactly("Password for root: ");

        Run noTerminal = admin(new FakeTerminal(), "--user", "root", "status");
        assertThat(noTerminal.exit()).isEqualTo(Exit.USAGE.code());
        assertThat(noTerminal.err()).contains("no password", "--password-file", AdminCli.PASSWORD_ENV);

        Run onCommandLine = admin(new FakeTerminal(), "--user", "root", "--password", "password-root", "status");
        assertThat(onCommandLine.exit()).isEqualTo(Exit.USAGE.code());
        assertThat(onCommandLine.err()).contains("--password is not accepted");
        assertThat(admin(new FakeTerminal(), "--user", "root", "--password=password-root", "status").exit())
                .isEqualTo(Exit.USAGE.code());

        Run missing = admin(new FakeTerminal(), "--user", "root", "--password-file", dir.resolve("none").toString(),
                "status");
        assertThat(missing.exit()).isEqualTo(Exit.USAGE.code());
        assertThat(missing.err()).contains("cannot read the password");
    }

    @Test
    void badCommandLinesAreExplainedBeforeConnecting() {
        assertThat(run(as("root"), "--port", "1", "frobnicate").exit()).isEqualTo(Exit.USAGE.code());
        Run unknownCommand = run(as("root"), "--port", "1", "users", "frobnicate");
        assertThat(unknownCommand.err()).contains("unknown command 'users frobnicate'");
        Run noUser = run(new FakeTerminal(), "--port", "1", "status");
        assertThat(noUser.exit()).isEqualTo(Exit.USAGE.code());
        assertThat(noUser.err()).contains("--user NAME", AdminCli.USER_ENV);
        Run wrongOption = run(as("root"), "--port", "1", "status", "--limit", "3");
        assertThat(wrongOption.exit()).isEqualTo(Exit.USAGE.code());
        assertThat(wrongOption.err()).contains("--limit does not go with 'status'");
        Run missingArgument = run(as("root"), "--port", "1", "users", "disable");
        assertThat(missingArgument.err()).contains("usage: parley-server admin users disable USER");
        assertThat(run(as("root"), "--port", "1", "groups", "delete", "seven").err())
                .contains("the group id must be a whole number");
        assertThat(run(as("root"), "--port", "1", "--fingerprint", "12:34", "status").err())
                .contains("--fingerprint must be");

        Run help = run(new FakeTerminal(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("users reset-password USER", "exit codes:", "  5  the account is not an "
                + "administrator");
    }

    @Test
    void connectionFailuresHaveTheirOwnExitCode() throws Exception {
        ensureRoot();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Run refused = run(as("root"), "--host", "127.0.0.1", "--port", String.valueOf(closedPort), "--plaintext",
                "status");
        assertThat(refused.exit()).isEqualTo(Exit.CONNECTION.code());
        assertThat(refused.err()).contains("cannot connect to 127.0.0.1:" + closedPort);

        String port = String.valueOf(SERVER.port());
        String fingerprint = SERVER.server().certificateFingerprint();
        Path pins = dir.resolve("known_servers");
        Run unpinned = run(as("root"), "--host", "127.0.0.1", "--port", port, "--known-servers", pins.toString(),
                "status");
        assertThat(unpinned.exit()).isEqualTo(Exit.CONNECTION.code());
        assertThat(unpinned.err()).contains("(SHA-256 " + fingerprint + ") is not verified by a trusted "
                + "certificate authority and not pinned", "--fingerprint");

        Files.writeString(pins, "127.0.0.1\\:" + port + "=" + fingerprint + "\n");
        assertThat(run(as("root"), "--host", "127.0.0.1", "--port", port, "--known-servers", pins.toString(),
                "status").exit()).as("pinned as the desktop client pins").isZero();

        String other = fingerprint.startsWith("00") ? "11" + fingerprint.substring(2) : "00" + fingerprint.substring(2);
        Run changed = run(as("root"), "--host", "127.0.0.1", "--port", port, "--fingerprint", other, "status");
        assertThat(changed.exit()).isEqualTo(Exit.CONNECTION.code());
        assertThat(changed.err()).contains("WARNING", "is not the one pinned in --fingerprint");
        assertThat(run(as("root"), "--host", "127.0.0.1", "--port", port, "--fingerprint",
                fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT), "status").exit())
                .as("the fingerprint without colons, in lower case").isZero();

        Run plaintext = run(as("root"), "--host", "127.0.0.1", "--port", port, "--plaintext", "status");
        assertThat(plaintext.exit()).isEqualTo(Exit.CONNECTION.code());
        Run json = run(as("root"), "--host", "127.0.0.1", "--port", String.valueOf(closedPort), "--plaintext",
                "--json", "status");
        assertThat(json.jsonError().get("error").getAsString()).isEqualTo("CONNECTION");
        assertThat(json.jsonError().get("exit").getAsInt()).isEqualTo(3);
    }
}
