package org.parley.server.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds every message, file, password hash and the TLS key, so it is the server account's
 * alone: the directory and every directory in it 0700, every file 0600. New directories and files are made with
 * those modes; an existing installation is tightened at start, and what was changed is logged. On a file system
 * without POSIX permissions nothing is changed (the directory's own access rules apply).
 */
public final class DataDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    /**
     * Makes the data directory if it is missing (0700, its parents as usual) and tightens what is in it. Called at
     * start before anything is read or written there, and again once storage is open (H2 makes its files with the
     * process's umask), then quietly: what storage just made is not news.
     */
    public static void prepare(Path dataDir, boolean quiet) throws IOException {
        createPrivateDirectory(dataDir);
        List<Path> changed = tighten(dataDir);
        if (!changed.isEmpty() && !quiet) {
            LOG.atWarn().addKeyValue("dataDir", dataDir.toAbsolutePath()).addKeyValue("count", changed.size())
                    .addKeyValue("paths", changed.size() <= 20 ? changed.toString()
                            : changed.subList(0, 20) + " and " + (changed.size() - 20) + " more")
                    .log("the data directory was readable by others: made it and its contents private (0700/0600)");
        }
    }

    /** Creates {@code dir} with mode 0700 (its missing parents with the default mode), or tightens it. */
    public static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, attributes(dir, DIRECTORY));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile, or a link to a directory: tightened below
            }
        }
        setMode(dir, DIRECTORY);
    }

    /**
     * Writes {@code bytes} to {@code file} through a temporary file that is 0600 from its creation, moved into
     * place once complete (so a crash leaves the old file or none, never half of one).
     */
    public static void writePrivate(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.write(Files.createFile(tmp, attributes(tmp, FILE)), bytes, StandardOpenOption.WRITE);
        setMode(tmp, FILE);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Sets every directory under {@code root} (itself included) to 0700 and every file to 0600 where it allowed
     * more; symbolic links are not followed. Returns the paths whose mode was changed.
     */
    public static List<Path> tighten(Path root) throws IOException {
        List<Path> changed = new ArrayList<>();
        if (Files.getFileAttributeView(root, PosixFileAttributeView.class) == null) {
            return changed;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (setMode(p, directory ? DIRECTORY : FILE)) {
                    changed.add(root.relativize(p));
                }
            }
        }
        return changed;
    }

    /** Sets the mode when the path's current one allows more than {@code mode}; true if it was changed. */
    private static boolean setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return false;
        }
        Set<PosixFilePermission> current = view.readAttributes().permissions();
        if (mode.containsAll(current) && current.containsAll(mode)) {
            return false;
        }
        // Only ever take permissions away from others; the owner keeps (or gets) what the server needs.
        boolean looser = !mode.containsAll(current);
        view.setPermissions(mode);
        return looser;
    }

    private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> mode) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }
}
