package org.parley.server.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.parley.server.config.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

/**
 * Online backup and restore (docs/decisions/backup.md). A running server with {@code metrics-address} answers
 * {@code POST /backup} with a consistent copy of its database (H2's {@code BACKUP TO}) and of the files' content
 * ({@code <data-dir>/files}) as a zip, to a caller that presents the token in {@code <data-dir>/ops.token} (0600, made at start: only the
 * server's own user can read it). {@code parley-server backup --to FILE} is that caller; {@code restore} unpacks a
 * backup into an empty data directory.
 */
public final class Backups {

    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
    static final String TOKEN_FILE = "ops.token";
    /** Where the storage keeps file content in the data directory, and its entries in a backup. */
    private static final String FILES = "files";
    private static final java.util.regex.Pattern BLOB_ENTRY = java.util.regex.Pattern.compile(
            FILES + "/[0-9a-f]{2}/[0-9]{1,19}");

    private Backups() {
    }

    /** Makes a new token in the data directory; returns it. */
    public static String newToken(Path dataDir) throws IOException {
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        Path file = dataDir.resolve(TOKEN_FILE);
        Files.deleteIfExists(file);
        DataDirectory.writePrivate(file, token.getBytes(StandardCharsets.US_ASCII));
        return token;
    }

    /** The HTTP handler: checks the token, has {@code backup} write the zip to a scratch file, sends it. */
    public static com.sun.net.httpserver.HttpHandler handler(String token, Path dataDir, Consumer<Path> backup) {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
        return exchange -> {
            try (exchange) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (!exchange.getRequestMethod().equals("POST")) {
                    OpsHttpServer.send(exchange, 405, "text/plain; charset=utf-8", "POST only\n");
                    return;
                }
                if (auth == null || !MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.US_ASCII))) {
                    LOG.atWarn().addKeyValue("remote", exchange.getRemoteAddress()).log("backup refused: bad token");
                    OpsHttpServer.send(exchange, 403, "text/plain; charset=utf-8", "forbidden\n");
                    return;
                }
                send(exchange, dataDir, backup);
            }
        };
    }

    private static void send(HttpExchange exchange, Path dataDir, Consumer<Path> backup) throws IOException {
        Path dir = dataDir.resolve("scratch");
        Files.createDirectories(dir);
        Path zip = dir.resolve("backup-" + System.nanoTime() + ".zip");
        try {
            backup.accept(zip);
            LOG.atInfo().addKeyValue("bytes", Files.size(zip)).log("online backup taken");
            exchange.getResponseHeaders().set("Content-Type", "application/zip");
            exchange.sendResponseHeaders(200, Files.size(zip));
            try (OutputStream out = exchange.getResponseBody(); InputStream in = Files.newInputStream(zip)) {
                in.transferTo(out);
            }
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("online backup failed");
            OpsHttpServer.send(exchange, 500, "text/plain; charset=utf-8", "backup failed: " + e.getMessage() + "\n");
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    /**
     * Asks the server running on {@code dataDir} (its operations endpoint at {@code host:port}) for a backup and
     * writes it to {@code to} (through a temporary file beside it, so that a failed backup leaves no partial file).
     */
    public static long fetch(String host, int port, Path dataDir, Path to) throws IOException, InterruptedException {
        Path tokenFile = dataDir.resolve(TOKEN_FILE);
        if (!Files.isReadable(tokenFile)) {
            throw new IOException("cannot read " + tokenFile + ": is the server running with metrics-address set, "
                    + "and is this its user?");
        }
        String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
        Path part = to.resolveSibling(to.getFileName() + ".part");
        HttpResponse<Path> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/backup"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofFile(part));
        if (r.statusCode() != 200) {
            String body = Files.readString(part);
            Files.deleteIfExists(part);
            throw new IOException("the server refused the backup (HTTP " + r.statusCode() + "): " + body.strip());
        }
        Files.move(part, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(to);
    }

    /** Unpacks a backup into {@code dataDir}, which must be empty or not exist. */
    public static void restore(Path zip, Path dataDir) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("no backup file " + zip);
        }
        if (Files.isDirectory(dataDir)) {
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(dataDir + " is not empty: restore into a new or empty directory");
                }
            }
        }
        DataDirectory.prepare(dataDir, true);
        org.h2.tools.Restore.execute(zip.toString(), dataDir.toString(), "parley");
        if (!Files.exists(dataDir.resolve("parley.mv.db"))) {
            throw new IOException(zip + " holds no Parley database (parley.mv.db)");
        }
        restoreFiles(zip, dataDir);
        DataDirectory.prepare(dataDir, true);
    }

    /**
     * Unpacks the files' content ({@code files/<dir>/<blob id>}, which H2's {@code Restore} leaves out); nothing
     * else, and nothing outside that directory.
     */
    private static void restoreFiles(Path zip, Path dataDir) throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isDirectory() || !e.getName().startsWith(FILES + "/")) {
                    continue;
                }
                if (!BLOB_ENTRY.matcher(e.getName()).matches()) {
                    throw new IOException(zip + " holds an unexpected entry " + e.getName());
                }
                Path target = dataDir.resolve(e.getName());
                DataDirectory.createPrivateDirectory(target.getParent());
                Files.copy(in, target);
            }
        }
    }
}
