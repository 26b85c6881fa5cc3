package org.parley.product.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A private copy of a materialized product (any: Parley's, or later an IDE-style product with Parley installed
 * into it), started as its own process the way releng/scripts/client.sh starts Parley: the launcher jar with
 * {@code java -jar}, the product's configuration shared and a per-run user configuration and workspace.
 * <p>
 * Extra bundles (the test-only driver and its helpers) are added to the copy's bundles.info before each start:
 * p2 rewrites that file whenever it installs or removes something, and drops lines it did not write.
 */
final class ProductCopy {

    /** Exit code of a workbench that asked to restart (IApplication.EXIT_RESTART). */
    static final int RESTART = 23;

    private final Path dir;
    private final List<Path> extraBundles;

    private ProductCopy(Path dir, List<Path> extraBundles) {
        this.dir = dir;
        this.extraBundles = extraBundles;
    }

    /** Copies {@code product} into {@code dir}; {@code extraBundles} are added at each start. */
    static ProductCopy of(Path product, Path dir, List<Path> extraBundles) throws IOException {
        if (!Files.isDirectory(product.resolve("plugins"))) {
            throw new IllegalStateException("the product is not built: " + product);
        }
        for (Path b : extraBundles) {
            if (!Files.isRegularFile(b)) {
                throw new IllegalStateException("the driver bundle is not built: " + b);
            }
        }
        try (Stream<Path> all = Files.walk(product)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = dir.resolve(product.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return new ProductCopy(dir, extraBundles);
    }

    Path dir() {
        return dir;
    }

    Path bundlesInfo() {
        return dir.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info");
    }

    /** The symbolic names in the copy's bundles.info (what the next start runs). */
    List<String> bundles() throws IOException {
        return Files.readAllLines(bundlesInfo()).stream().filter(l -> !l.startsWith("#") && l.contains(","))
                .map(l -> l.substring(0, l.indexOf(','))).toList();
    }

    /** The outcome of one start: the exit code, what the driver wrote, and the process's output. */
    record Run(int exitCode, Properties result, String log) {
        String result(String key) {
            return result.getProperty(key);
        }

        String describe() {
            return "exit " + exitCode + ", driver " + result + "\n--- output (end) ---\n"
                    + log.substring(Math.max(0, log.length() - 6000));
        }
    }

    /**
     * Starts the copy with the driver running {@code commands} (see org.parley.product.driver.Commands) and waits
     * for it to exit. {@code home} is the user's area (configuration, workspace, secure storage); reuse it across
     * starts as a user's restarts would. Output and screenshots go to {@code out}.
     */
    Run start(Path home, Path out, List<String> commands, Map<String, String> properties, long timeoutSeconds)
            throws Exception {
        addExtraBundles();
        Files.createDirectories(out);
        Path script = out.resolve("commands.txt");
        Files.write(script, commands);
        Path log = out.resolve("output.log");
        String launcher;
        try (Stream<Path> s = Files.list(dir.resolve("plugins"))) {
            launcher = s.filter(p -> p.getFileName().toString().matches("org\\.eclipse\\.equinox\\.launcher_.*\\.jar"))
                    .findFirst().orElseThrow().toString();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dosgi.requiredJavaVersion=21",
                "-Dosgi.sharedConfiguration.area=" + dir.resolve("configuration"),
                "-Dparley.home=" + home, "-Dparley.driver.script=" + script, "-Dparley.driver.out=" + out));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", launcher, "-configuration", home.resolve("configuration").toString(),
                "-data", home.resolve("workspace").toString(), "-consoleLog"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the product did not exit within " + timeoutSeconds + " s: "
                        + new Run(-1, result(out), Files.readString(log)).describe());
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), result(out), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Properties result(Path out) throws IOException {
        Properties props = new Properties();
        Path f = out.resolve("result.properties");
        if (Files.exists(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                props.load(in);
            }
        }
        return props;
    }

    /** Adds the extra bundles to bundles.info (again: p2 rewrote it) as started bundles. */
    private void addExtraBundles() throws IOException {
        List<String> present = bundles();
        StringBuilder lines = new StringBuilder();
        for (Path jar : extraBundles) {
            Manifest m;
            try (JarFile j = new JarFile(jar.toFile())) {
                m = j.getManifest();
            }
            String name = m.getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].strip();
            String version = m.getMainAttributes().getValue("Bundle-Version");
            if (!present.contains(name)) {
                lines.append(name).append(',').append(version).append(',').append(jar.toUri()).append(",4,")
                        .append(name.endsWith(".driver")).append('\n');
            }
        }
        String info = Files.readString(bundlesInfo());
        if (!info.endsWith("\n")) {
            lines.insert(0, '\n');
        }
        Files.writeString(bundlesInfo(), lines, StandardOpenOption.APPEND);
    }
}
