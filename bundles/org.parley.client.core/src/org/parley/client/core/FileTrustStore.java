package org.parley.client.core;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Pins kept in a properties file ({@code host:port=fingerprint}), by default {@code ~/.parley/known_servers}. */
public final class FileTrustStore implements TrustStore {

    private final Path file;

    public FileTrustStore(Path file) {
        this.file = file;
    }

    public static FileTrustStore inUserHome() {
        return new FileTrustStore(Path.of(System.getProperty("user.home"), ".parley", "known_servers"));
    }

    @Override
    public synchronized String pinned(String host, int port) {
        return load().getProperty(host + ":" + port);
    }

    @Override
    public synchronized void pin(String host, int port, String fingerprint) {
        Properties p = load();
        p.setProperty(host + ":" + port, fingerprint);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, "Parley: server certificates trusted on first use (SHA-256)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }
}
