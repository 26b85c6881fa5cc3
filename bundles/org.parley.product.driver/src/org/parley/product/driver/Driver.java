package org.parley.product.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.eclipse.swt.widgets.Display;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Starts the script given by {@code parley.driver.script} once the application's display exists. Does nothing
 * without that property, so the bundle is harmless in a product started by hand.
 */
public final class Driver implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        String script = context.getProperty("parley.driver.script");
        String out = context.getProperty("parley.driver.out");
        if (script == null || out == null) {
            return;
        }
        Thread t = new Thread(() -> run(Path.of(script), Path.of(out)), "parley-product-driver");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void stop(BundleContext context) {
        // the script ends with the application
    }

    private static void run(Path script, Path out) {
        try {
            Files.createDirectories(out);
            System.setProperty("parley.screenshots", out.resolve("screenshots").toString());
            List<String> lines = Files.readAllLines(script).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            Display display = awaitDisplay();
            Result result = new Result(out.resolve("result.properties"));
            // The display can be found while its constructor still runs (its fields not all set yet): then
            // asyncExec fails; try again shortly.
            for (int tries = 0;; tries++) {
                try {
                    display.asyncExec(() -> new Commands(display, result).run(lines));
                    break;
                } catch (RuntimeException e) {
                    if (tries == 100) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (Exception e) {
            Result.write(out.resolve("result.properties"), "result", "driver failed to start: " + e);
        }
    }

    /** The workbench's display (created by the E4 application on the main thread). */
    private static Display awaitDisplay() throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                Display d = Display.findDisplay(t);
                if (d != null && !d.isDisposed()) {
                    return d;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no display after 120 s");
    }

    /** What the driver saw, for the test to read: result=ok or what failed, and observations. */
    static final class Result {
        private final Path file;
        private final Properties props = new Properties();

        Result(Path file) {
            this.file = file;
        }

        synchronized void put(String key, String value) {
            props.setProperty(key, value);
            try (OutputStream o = Files.newOutputStream(file)) {
                props.store(o, "written by org.parley.product.driver");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        synchronized String get(String key) {
            return props.getProperty(key);
        }

        static void write(Path file, String key, String value) {
            new Result(file).put(key, value);
        }
    }
}
