package org.parley.ui.secure;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.spec.PBEKeySpec;

import org.eclipse.core.runtime.ILog;
import org.eclipse.equinox.security.storage.provider.IPreferencesContainer;
import org.eclipse.equinox.security.storage.provider.PasswordProvider;

/**
 * The master password of Parley's secure storage when no operating-system keyring provider is installed: 32 random
 * bytes made on first use and kept next to the storage file in {@code <file>.key}, readable by the user only
 * (0600, in a 0700 directory). It protects the storage file when it travels alone (a backup, a synced folder); it
 * cannot protect against someone who can read the user's files, which no keyring-less design can. A keyring
 * provider with a higher priority, when present, is preferred by Equinox.
 */
public class MasterPasswordProvider extends PasswordProvider {

    @Override
    public PBEKeySpec getPassword(IPreferencesContainer container, int passwordType) {
        try {
            Path key = keyFile(container);
            if (!Files.exists(key)) {
                create(key); // SecureStore starts a storage over when its key is gone (nothing old could be read)
            }
            return new PBEKeySpec(Files.readString(key, StandardCharsets.US_ASCII).strip().toCharArray());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            ILog.of(MasterPasswordProvider.class).error("The master password of Parley's secure storage is not "
                    + "available", e);
            return null;
        }
    }

    static Path keyFile(IPreferencesContainer container) throws URISyntaxException {
        Path storage = Path.of(container.getLocation().toURI());
        return storage.resolveSibling(storage.getFileName() + ".key");
    }

    private static void create(Path key) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Path dir = key.getParent();
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return; // made meanwhile by another Parley process
        } catch (UnsupportedOperationException e) {
            Files.createFile(key); // not a POSIX file system: the directory's own protection applies
        }
        Files.writeString(key, Base64.getEncoder().encodeToString(secret), StandardCharsets.US_ASCII);
    }
}
