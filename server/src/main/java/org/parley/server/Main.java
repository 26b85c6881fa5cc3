package org.parley.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.parley.server.common.ParleyException;
import org.parley.server.storage.StorageException;
import org.parley.server.storage.h2.H2Storage;

/**
 * {@code java -jar parley-server.jar [serve] [options]} starts the server and runs until SIGTERM or Ctrl+C;
 * {@code disable-account USER [--data-dir DIR]} disables an account in a stopped server's data directory (a
 * running server is asked through the protocol admin request instead: see docs/operations.md).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        String command = args.isEmpty() || args.get(0).startsWith("--") ? "serve" : args.remove(0);
        if (args.contains("--help") || args.contains("-h") || command.equals("help")) {
            System.out.println(usage());
            return;
        }
        try {
            switch (command) {
                case "serve" -> serve(ServerConfig.parse(args));
                case "disable-account" -> disableAccount(args);
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
        ParleyServer server = ParleyServer.start(config);
        System.out.println("Parley server listening on " + config.host() + ":" + server.port()
                + (config.tls() ? " (TLS; certificate SHA-256 " + server.certificateFingerprint() + ")"
                        : " (plaintext)"));
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
        try (H2Storage storage = H2Storage.open(config.dataDir(), true)) {
            new org.parley.server.accounts.AccountService(storage.accounts(),
                    new org.parley.server.accounts.PasswordHasher(8, 1), new org.parley.server.presence.OnlineUsers(),
                    config.admins(), new org.parley.server.accounts.LoginThrottle(config.login()), null,
                    config.accountPolicy())
                    .disable(user);
        }
        System.out.println("disabled " + user + "; its sessions are revoked");
    }

    static String usage() {
        return """
                Parley server

                usage:
                  parley-server [serve] [options]          run the server (Ctrl+C or SIGTERM stops it cleanly)
                  parley-server disable-account USER [--data-dir DIR]
                                                           disable an account (server stopped); a running server:
                                                           send Accounts.DisableAccount as an admin user
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
