package org.parley.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A small, real file system for disk-full tests: a tmpfs of the given size, mounted before each test and
 * unmounted after it. Needs Linux and root (as CI has); elsewhere the tests that use it are skipped.
 */
public final class SmallDisk implements BeforeEachCallback, AfterEachCallback {

    private final String size;
    private Path base;
    private Path mount;
    private boolean mounted;

    /** {@code size} as tmpfs takes it, for example "3m". */
    public SmallDisk(String size) {
        this.size = size;
    }

    /** The mounted directory. */
    public Path path() {
        return mount;
    }

    /** Makes room: remounts the file system with a larger size, keeping what it holds. */
    public boolean grow(String newSize) throws IOException, InterruptedException {
        return run("mount", "-o", "remount,size=" + newSize, mount.toString());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "needs Linux tmpfs");
        base = Files.createTempDirectory("parley-small-disk");
        mount = Files.createDirectories(base.resolve("small"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "parley-test", mount.toString());
        assumeTrue(mounted, "cannot mount a tmpfs here (not root?)");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (mounted) {
            run("umount", mount.toString());
            mounted = false;
        }
        if (base != null) {
            Files.deleteIfExists(mount);
            Files.deleteIfExists(base);
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
