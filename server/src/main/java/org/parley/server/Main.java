package org.parley.server;

import org.parley.server.config.DataDirectory;
import org.parley.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.parley.server.common.ParleyException;
import org.parley.server.common.StorageException;
import org.parley.server.storage.Storage;

/**
 * {@code java -jar parley-server.jar [serve] [options]} starts the server and runs until SIGTERM or Ctrl+C;
 * {@code disable-account USER [--data-dir DIR]} disables an account in a stopped server's data directory (a
 * running server is asked through the protocol admin request instead: see docs/operations.md); {@code backup --to
 * FILE} asks a running server for an online backup, {@code restore --from FILE --data-dir DIR} unpacks one;
 * {@code admin …} sends admin requests to a running server ({@link org.parley.server.admin.cli.AdminCli}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        String command = args.isEmpty() || args.get(0).startsWith("--") ? "serve" : args.remove(0);
        if (command.equals("admin")) {
            // Standard output is the command's answer (JSON for scripts): no log lines, no logback status there.
            System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
            if (System.getProperty("parley.log.level") == null) {
                System.setProperty("parley.log.level", "OFF");
            }
            System.exit(org.parley.server.admin.cli.AdminCli.run(args,
                    org.parley.server.admin.cli.Terminal.system()));
        }
        if (args.contains("--help") || args.contains("-h") || command.equals("help")) {
            System.out.println(usage());
            return;
        }
        try {
            switch (command) {
                case "serve" -> serve(ServerConfig.parse(args));
                case "disable-account" -> disableAccount(args);
                case "backup" -> backup(args);
                case "restore" -> restore(args);
                default -> throw new ServerConfig.ConfigException("unknown command '" + command + "' (see --help)");
            }
        } catch (ServerConfig.ConfigException | StorageException | ParleyException e) {
            System.err.println("parley-server: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("parley-server: " + e);
            System.exit(1);
        }
    }

    private static void serve(ServerConfig config) throws Exception {
        org.parley.server.ops.LogFormat.apply(config.ops().logFormat());
        ParleyServer server = ParleyServer.start(config);
        System.out.println("Parley server listening on " + config.host() + ":" + server.port()
                + (config.tls() ? " (TLS; certificate SHA-256 " + server.certificateFingerprint() + ")"
                        : " (plaintext)"));
        if (server.opsAddress() != null) {
            System.out.println("Operations endpoint on http://" + server.opsAddress().getHostString() + ":"
                    + server.opsAddress().getPort() + " (/metrics, /health/live, /health/ready)");
        }
        if (server.accounts().awaitingFirstAccount()) {
            System.out.println("First start: " + org.parley.server.accounts.AccountService.FIRST_ACCOUNT_HINT
                    + ".");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-shutdown"));
        stopped.await();
    }

    private static void disableAccount(List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            throw new ServerConfig.ConfigException("usage: disable-account USER [--data-dir DIR]");
        }
        String user = args.remove(0);
        ServerConfig config = ServerConfig.parse(args);
        try {
            DataDirectory.prepare(config.dataDir(), false);
        } catch (java.io.IOException e) {
            throw new ServerConfig.ConfigException("cannot use the data directory " + config.dataDir() + ": " + e);
        }
        try (Storage storage = config.storage().open(config.dataDir(), true)) {
            new org.parley.server.accounts.AccountService(storage.accounts(),
                    new org.parley.server.accounts.PasswordHasher(8, 1), new org.parley.server.common.OnlineUsers(),
                    config.admins(), new org.parley.server.accounts.LoginThrottle(config.login()), null,
                    config.accountPolicy())
                    .disable(user);
        }
        System.out.println("disabled " + user + "; its sessions are revoked");
    }

    /** {@code backup --to FILE [--data-dir DIR | --config FILE]}: an online backup of the running server. */
    private static void backup(List<String> args) throws Exception {
        Path to = Path.of(take(args, "--to", "usage: backup --to FILE [--data-dir DIR] [--config FILE]"));
        ServerConfig config = ServerConfig.parse(args);
        if (config.storage().postgresql()) {
            throw new ServerConfig.ConfigException("backup copies the embedded H2 database; with storage=postgresql "
                    + "back up the database with PostgreSQL's tools (pg_dump, base backups): docs/operations.md");
        }
        java.net.InetSocketAddress ops = config.ops().metricsAddress();
        if (ops == null) {
            throw new ServerConfig.ConfigException("backup asks the running server through its metrics-address: "
                    + "set metrics-address (in parley.properties, or --metrics-address as the server has it)");
        }
        String host = ops.getAddress() == null || ops.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : ops.getHostString();
        long bytes = org.parley.server.ops.Backups.fetch(host, ops.getPort(), config.dataDir(), to);
        System.out.println("backup written to " + to + " (" + bytes + " bytes)");
    }

    /** {@code restore --from FILE --data-dir DIR}: unpacks a backup into an empty data directory. */
    private static void restore(List<String> args) throws Exception {
        Path from = Path.of(take(args, "--from", "usage: restore --from FILE --data-dir DIR"));
        if (!args.contains("--data-dir") && args.stream().noneMatch(a -> a.startsWith("--data-dir="))) {
            throw new ServerConfig.ConfigException("usage: restore --from FILE --data-dir DIR");
        }
        ServerConfig config = ServerConfig.parse(args);
        try {
            org.parley.server.ops.Backups.restore(from, config.dataDir());
        } catch (java.io.IOException e) {
            throw new ServerConfig.ConfigException("cannot restore: " + e.getMessage());
        }
        System.out.println("restored " + from + " into " + config.dataDir());
    }

    /** Removes {@code --name VALUE} from {@code args} and returns VALUE. */
    private static String take(List<String> args, String name, String usage) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            throw new ServerConfig.ConfigException(usage);
        }
        args.remove(i);
        return args.remove(i);
    }

    static String usage() {
        return """
                Parley server

                usage:
                  parley-server [serve] [options]          run the server (Ctrl+C or SIGTERM stops it cleanly)
                  parley-server disable-account USER [--data-dir DIR]
                                                           disable an account (server stopped); a running server:
                                                           parley-server admin users disable USER
                  parley-server backup --to FILE [--data-dir DIR]
                                                           online backup of the RUNNING server on DIR (needs
                                                           metrics-address; run as the server's user)
                  parley-server restore --from FILE --data-dir DIR
                                                           unpack a backup into a new, empty data directory
                  parley-server admin [options] COMMAND    administer a RUNNING server as an administrator: users,
                                                           invitations, groups, status, audit log (admin --help)
                first start: with the default --registration invite, the first account to register on a server
                  without accounts becomes its administrator, who then creates invitation codes for everyone else;
                  --registration open lets anyone register, --registration closed only administrators create
                  accounts (docs/operations.md, "Registration and passwords")
                options (also settable in <data-dir>/parley.properties, or --config FILE):
                  --config FILE            properties file with the settings below
                  --plaintext              same as --tls false
                """ + ServerConfig.help();
    }
}
