package org.parley.product.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.server.testing.ParleyServerExtension;

/**
 * How the packaged client starts (issue 17), in a product of its own process (org.parley.product.lite): the
 * sign-in window comes before the E4 workbench is loaded (the workbench's bundle is not yet activated while it
 * shows), the workbench looks up no CSS theme (none is named, none is missing), SLF4J has its provider (logback, configured by the
 * product), and the console (with client.sh's logging options) says neither that SLF4J has no provider nor that a
 * theme is missing, nor what the OSGi extenders did. A remembered session opens the window by itself at the next
 * start; Cancel in the sign-in window ends Parley without starting the workbench.
 */
class StartIT {

    private static final String WORKBENCH = "org.eclipse.e4.ui.workbench.swt";
    private static final String LOGBACK = "ch.qos.logback.classic";
    private static final String BUNDLES = String.join(",", WORKBENCH, LOGBACK);

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    @TempDir
    Path tmp;

    private ParleyClient ann;
    private ProductCopy product;
    private Path home;
    private Path out;

    @BeforeEach
    void setUp() throws Exception {
        ann = Users.annAndAlice(server, new ClientListener() {
        }).ann;
        product = ProductCopy.of(Path.of(System.getProperty("parley.product.lite")), tmp.resolve("product"),
                Users.driverBundles());
        home = tmp.resolve("home");
        out = Path.of(System.getProperty("parley.product.out"));
    }

    @AfterEach
    void tearDown() {
        if (ann != null) {
            ann.close();
        }
    }

    @Test
    void signInWindowBeforeTheWorkbenchThenARememberedSession() throws Exception {
        ProductCopy.Run first = start("start-1-sign-in", List.of(
                "awaitLogin",
                "recordBundles:login:" + BUNDLES,
                "screenshot:sign-in",
                "signIn:stay",
                "recordBundles:window:" + BUNDLES,
                "openChat:hello alice",
                "close"));
        assertThat(first.result("result")).as(first.describe()).isEqualTo("ok");
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(first.result("login." + WORKBENCH)).as("the workbench's bundle while the sign-in window shows")
                .isIn("STARTING", "RESOLVED");
        assertThat(first.result("window." + WORKBENCH)).isEqualTo("ACTIVE");
        assertThat(first.result("login." + LOGBACK)).as("SLF4J's provider").isEqualTo("ACTIVE");
        assertThat(first.log()).as("the console").doesNotContain("SLF4J").doesNotContain("e4_default")
                .doesNotContain("org.eclipse.e4.ui.css");

        ProductCopy.Run resume = start("start-2-remembered", List.of(
                "awaitWindow",
                "openChat:hello alice",
                "close"));
        assertThat(resume.result("result")).as(resume.describe()).isEqualTo("ok");
        assertThat(resume.exitCode()).as(resume.describe()).isZero();
        assertThat(resume.log()).as("the console").doesNotContain("SLF4J").doesNotContain("e4_default");
    }

    @Test
    void cancelInTheSignInWindowEndsParleyWithoutTheWorkbench() throws Exception {
        ProductCopy.Run cancelled = start("start-cancel", List.of(
                "awaitLogin",
                "recordBundles:login:" + BUNDLES,
                "close"));
        assertThat(cancelled.result("result")).as(cancelled.describe()).isEqualTo("ok");
        assertThat(cancelled.exitCode()).as(cancelled.describe()).isZero();
        assertThat(cancelled.result("login." + WORKBENCH)).isIn("STARTING", "RESOLVED");
        assertThat(cancelled.log()).as("the console").doesNotContain("SLF4J");
    }

    /** A start with the logging options client.sh gives (releng/scripts/client-jvm.sh). */
    private ProductCopy.Run start(String name, List<String> commands) throws Exception {
        return product.start(home, out.resolve(name), commands, Map.of("parley.driver.port",
                String.valueOf(server.port()), "parley.driver.user", "alice", "parley.plaintext", "true",
                "java.util.logging.config.file", Path.of("..", "scripts", "client-logging.properties")
                        .toAbsolutePath().normalize().toString()), 240);
    }
}
