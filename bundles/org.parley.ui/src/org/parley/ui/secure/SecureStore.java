package org.parley.ui.secure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.runtime.ILog;
import org.eclipse.equinox.security.storage.EncodingUtils;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;
import org.eclipse.equinox.security.storage.provider.IProviderHints;
import org.parley.client.core.FileTrustStore;
import org.parley.client.core.TrustStore;

/**
 * Parley's secrets for one profile ({@code parley.home}): session tokens ("stay signed in") and pinned server
 * certificates, in Eclipse secure storage ({@code <home>/secure_storage}), encrypted. When secure storage cannot be
 * used (no password provider, a damaged file), tokens are not kept at all and pins fall back to the plain file the
 * client core uses ({@code <home>/known_servers}); the reason is logged once.
 */
public final class SecureStore {

    private static final Map<Path, SecureStore> OPEN = new ConcurrentHashMap<>();
    /** The id of Parley's password provider (plugin.xml), which secure storage records with what it encrypted. */
    static final String MODULE = "org.parley.ui.masterpassword"; // as secure storage writes it (lower case)

    private final Path home;
    private final ISecurePreferences root;
    private final TrustStore legacyPins;

    private SecureStore(Path home) {
        this.home = home;
        this.legacyPins = new FileTrustStore(home.resolve("known_servers"));
        ISecurePreferences r = null;
        Path file = home.resolve("secure_storage");
        try {
            if (Files.exists(file) && !Files.exists(home.resolve("secure_storage.key"))
                    && Files.readString(file).contains(MODULE)) { // ours, not a keyring provider's
                // Its master password is gone: nothing in it can be read. Start over (sign in and trust again).
                ILog.of(SecureStore.class).warn("The key of " + file + " is missing; starting a new secure storage");
                Files.delete(file);
            }
            r = SecurePreferencesFactory.open(file.toUri().toURL(),
                    Map.of(IProviderHints.PROMPT_USER, Boolean.FALSE));
        } catch (IOException | RuntimeException | LinkageError e) {
            ILog.of(SecureStore.class).warn("Secure storage is not available; Parley will not stay signed in and "
                    + "keeps pinned certificates in " + home.resolve("known_servers"), e);
        }
        root = r;
    }

    /** The store of this profile: {@code parley.home}, else {@code ~/.parley}. */
    public static SecureStore ofProfile() {
        return of(Path.of(System.getProperty("parley.home", System.getProperty("user.home") + "/.parley")));
    }

    /** The store of a profile's home (one instance per home). */
    public static SecureStore of(Path home) {
        return OPEN.computeIfAbsent(home.toAbsolutePath().normalize(), SecureStore::new);
    }

    /** Whether secrets are kept encrypted (else tokens are not kept). */
    public boolean isAvailable() {
        return root != null;
    }

    public Path home() {
        return home;
    }

    private static String server(String host, int port) {
        return EncodingUtils.encodeSlashes(host.toLowerCase(java.util.Locale.ROOT) + ":" + port);
    }

    private ISecurePreferences session(String host, int port, String user) {
        return root.node("org.parley/sessions/" + server(host, port) + "/"
                + EncodingUtils.encodeSlashes(user.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The remembered session token of a user on a server. */
    public Optional<String> token(String host, int port, String user) {
        if (root == null || user == null || user.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(session(host, port, user).get("token", null));
        } catch (StorageException e) {
            ILog.of(SecureStore.class).warn("A remembered session could not be read; signing in again", e);
            return Optional.empty();
        }
    }

    /** Remembers a session token (encrypted), so that the next start signs in without the password. */
    public void saveToken(String host, int port, String user, String token) {
        if (root == null) {
            return;
        }
        try {
            session(host, port, user).put("token", token, true);
            root.flush();
        } catch (StorageException | IOException e) {
            ILog.of(SecureStore.class).warn("The session could not be remembered", e);
        }
    }

    /** Forgets a user's session token on a server (signing out, "stay signed in" unticked, token refused). */
    public void forgetToken(String host, int port, String user) {
        if (root == null || user == null) {
            return;
        }
        try {
            session(host, port, user).removeNode();
            root.flush();
        } catch (IOException | IllegalStateException e) {
            ILog.of(SecureStore.class).warn("The session could not be forgotten", e);
        }
    }

    /** Pinned server certificates, encrypted; pins found in the old plain file are moved in on first use. */
    public TrustStore trustStore() {
        if (root == null) {
            return legacyPins;
        }
        return new TrustStore() {
            @Override
            public String pinned(String host, int port) {
                ISecurePreferences node = root.node("org.parley/servers/" + server(host, port));
                try {
                    String pin = node.get("fingerprint", null);
                    if (pin != null) {
                        return pin;
                    }
                } catch (StorageException e) {
                    ILog.of(SecureStore.class).warn("The pinned certificate of " + host + ":" + port
                            + " could not be read", e);
                }
                String old = legacyPins.pinned(host, port);
                if (old != null) {
                    pin(host, port, old);
                }
                return old;
            }

            @Override
            public void pin(String host, int port, String fingerprint) {
                try {
                    root.node("org.parley/servers/" + server(host, port)).put("fingerprint", fingerprint, true);
                    root.flush();
                } catch (StorageException | IOException e) {
                    ILog.of(SecureStore.class).warn("Secure storage failed; pinning in " + home.resolve(
                            "known_servers"), e);
                    legacyPins.pin(host, port, fingerprint);
                }
            }
        };
    }
}
