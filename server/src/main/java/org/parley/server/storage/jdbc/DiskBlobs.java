package org.parley.server.storage.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.parley.server.common.StorageException;
import org.parley.server.common.StorageFullException;

/**
 * Blob content as files in the data directory, one per blob: {@code files/<last byte of the id, hex>/<id>}, mode
 * 0600. The database keeps only the metadata: the blob's state and SHA-256, and how many bytes an upload holds.
 *
 * <p>Crash consistency: an upload's bytes are written (and with {@code durable}, forced with {@code fdatasync})
 * before the transaction that counts them commits, so the committed count never exceeds the bytes on disk. The
 * file may hold more (a write whose commit a crash or a failure prevented): the next write truncates that tail,
 * since what counts is the committed count. A new file's directory entry is forced as well. Identical content is
 * still stored once: the blob rows decide (a duplicate upload's blob is discarded at its finish and its file
 * deleted by the purge), so a file's name never has to change.
 *
 * <p>Blobs an older version stored as rows of {@code blob_blocks} stay there: a blob without a file is read from
 * the table, and an open upload that began there goes on there (a write past offset 0 with no file), so existing
 * data directories need no migration; purging a blob deletes both.
 */
public final class DiskBlobs implements BlobContent {

    /** The content's directory, under the data directory. */
    public static final String DIRECTORY = "files";

    private static final FileAttribute<?>[] NO_ATTRIBUTES = new FileAttribute<?>[0];

    private final Path root;
    private final TableBlobs table;
    private final boolean posix;
    /** Held for writing while a backup copies the files, so that the purge deletes none of them meanwhile. */
    private final ReentrantReadWriteLock copying = new ReentrantReadWriteLock();

    /** Content under {@code dataDir/files} (created, 0700), older content in {@code table}. */
    public DiskBlobs(Path dataDir, TableBlobs table) {
        this.root = dataDir.resolve(DIRECTORY);
        this.table = table;
        this.posix = dataDir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectory(root, attributes("rwx------"));
                forceDirectory(dataDir);
            }
        } catch (IOException e) {
            throw new StorageException("cannot create " + root + ": " + e.getMessage(), e);
        }
    }

    /** Where a blob's file is (whether or not it exists). */
    public Path path(long blobId) {
        return root.resolve(String.format("%02x", blobId & 0xff)).resolve(Long.toString(blobId));
    }

    @Override
    public void write(Connection c, long blobId, long offset, List<byte[]> pieces, boolean durable)
            throws SQLException {
        Path file = path(blobId);
        boolean exists = Files.exists(file);
        if (!exists && offset > 0) {
            table.write(c, blobId, offset, pieces, durable); // an upload an older version began in the table
            return;
        }
        long length = 0;
        ByteBuffer[] buffers = new ByteBuffer[pieces.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(pieces.get(i));
            length += buffers[i].remaining();
        }
        try (FileChannel ch = exists ? FileChannel.open(file, StandardOpenOption.WRITE) : create(file, durable)) {
            long size = ch.size();
            if (size < offset) {
                throw new StorageException("blob " + blobId + " has " + size + " bytes in " + file + " where "
                        + offset + " were counted: the file lost bytes (was it changed by hand, or was the server "
                        + "run with fsync off through a power loss?)");
            }
            if (size > offset) {
                ch.truncate(offset); // a tail no commit counted
            }
            ch.position(offset);
            for (long written = 0; written < length;) {
                written += ch.write(buffers);
            }
            if (durable) {
                ch.force(false);
                if (!exists) {
                    forceDirectory(file.getParent());
                }
            }
        } catch (IOException e) {
            try (FileChannel again = FileChannel.open(file, StandardOpenOption.WRITE)) {
                again.truncate(offset); // best effort: the bytes are not counted either way
            } catch (IOException ignored) {
                // the next write truncates it
            }
            throw failure("writing", file, e);
        }
    }

    /** Creates a blob's file (and its directory), 0600. */
    private FileChannel create(Path file, boolean durable) throws IOException {
        Path dir = file.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectory(dir, attributes("rwx------"));
                    if (durable) {
                        forceDirectory(root);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // another blob's write made it
                }
            }
        } catch (IOException e) {
            throw failure("creating", dir, e);
        }
        return FileChannel.open(file, java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE),
                attributes("rw-------"));
    }

    @Override
    public int read(Jdbc jdbc, long blobId, long offset, byte[] out) {
        Path file = path(blobId);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(out);
            for (long at = offset; b.hasRemaining();) {
                int n = ch.read(b, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return b.position();
        } catch (NoSuchFileException e) {
            return table.read(jdbc, blobId, offset, out);
        } catch (IOException e) {
            throw failure("reading", file, e);
        }
    }

    @Override
    public void force(long blobId) {
        Path file = path(blobId);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(false);
        } catch (NoSuchFileException e) {
            // in the table, or empty
        } catch (IOException e) {
            throw failure("forcing", file, e);
        }
    }

    /** Deletes the blob's file (a file at once, whatever its size: it counts nothing) and its rows in the table. */
    @Override
    public int purge(Connection c, long blobId, int budget) throws SQLException {
        int used = table.purge(c, blobId, budget);
        if (used < budget) {
            copying.readLock().lock(); // not while a backup copies the files
            try {
                Files.deleteIfExists(path(blobId));
            } catch (IOException e) {
                throw failure("deleting", path(blobId), e);
            } finally {
                copying.readLock().unlock();
            }
        }
        return used;
    }

    @Override
    public boolean inDatabase() {
        return false;
    }

    @Override
    public long storedBytes(Jdbc jdbc) {
        long bytes = table.storedBytes(jdbc);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p)) {
                    bytes += Files.size(p);
                }
            }
        } catch (IOException e) {
            throw failure("listing", root, e);
        }
        return bytes;
    }

    /**
     * Runs {@code databaseCopy} (the online copy of the database), then adds every blob file to {@code zip} as
     * {@code files/<dir>/<id>}, the purge held off meanwhile: every blob the copy names has its file, and an open
     * upload's file holds at least the bytes the copy counts (files only grow, or lose a tail nobody counted).
     */
    public void backup(ZipOutputStream zip, Runnable databaseCopy) throws IOException {
        copying.writeLock().lock();
        try {
            databaseCopy.run();
            List<Path> files;
            try (Stream<Path> all = Files.walk(root)) {
                files = all.filter(Files::isRegularFile).sorted().toList();
            }
            zip.setLevel(Deflater.NO_COMPRESSION); // mostly pictures and archives: compressed already
            for (Path p : files) {
                zip.putNextEntry(new ZipEntry(DIRECTORY + "/" + root.relativize(p).toString().replace('\\', '/')));
                try {
                    Files.copy(p, zip);
                } catch (NoSuchFileException gone) {
                    // cannot happen while the purge waits; an empty entry names nothing
                }
                zip.closeEntry();
            }
        } finally {
            copying.writeLock().unlock();
        }
    }

    private FileAttribute<?>[] attributes(String mode) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions
                .fromString(mode))} : NO_ATTRIBUTES;
    }

    /** Forces a directory's entries to the device (Linux allows it; elsewhere it is skipped). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every platform opens a directory
        }
    }

    private static StorageException failure(String doing, Path file, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left") || m.contains("Disk quota exceeded")) {
            return new StorageFullException("the server's disk is full (" + doing + " " + file + ")", e);
        }
        return new StorageException(doing + " " + file + ": " + e, e);
    }
}
