package org.parley.product.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.server.testing.ParleyServerExtension;

/**
 * Parley installed into an Eclipse IDE the way docs/ide.md tells a user to (the p2 director with the update site),
 * together with the sample third-party plug-in, then used there: a copy of the IDE-style test product
 * (releng/org.parley.ide.sample, no Parley in it) gets org.parley.ide.feature and org.parley.sample.feature, starts
 * as its own process, and alice, in the IDE, opens the Parley Contacts view, signs in, chats with ann (a plain
 * client-core user in this test), sends lines of a real text editor as a snippet, and sees ann's snippet drawn
 * with syntax colours by the sample plug-in.
 */
class IdeInstallIT {

    /** The sample plug-in's keyword colour (Eclipse's Java keyword colour): only it paints code this colour. */
    private static final int KEYWORD_RGB = (127 << 16) | 85;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @TempDir
    Path tmp;

    private ParleyClient ann;
    private final List<Chat.ChatMessage> annGot = new CopyOnWriteArrayList<>();

    @BeforeEach
    void annAndAlice() throws Exception {
        long[] conversation = {0};
        // When alice's snippet arrives, ann answers with one of hers (while alice's IDE is still running).
        ann = Users.annAndAlice(server, new ClientListener() {
            @Override
            public void message(Chat.ChatMessage m) {
                annGot.add(m);
                if (m.text().startsWith("```java demo/")) {
                    ann.send(conversation[0], "```java lib/Greeter.java:1-3\npublic class Greeter {\n"
                            + "    String greeting = \"hi\"; // friendly\n}\n```");
                }
            }
        }).ann;
        conversation[0] = Users.get(ann.openDirect("alice")).id();
    }

    @AfterEach
    void close() {
        if (ann != null) {
            ann.close();
        }
    }

    @Test
    void parleyInstalledIntoAnIdeChatsAndSendsSnippets() throws Exception {
        Path site = Path.of(System.getProperty("parley.updateSite")).toRealPath();
        ProductCopy ide = ProductCopy.of(Path.of(System.getProperty("parley.product.ide")), tmp.resolve("ide"),
                Users.driverBundles());
        assertThat(ide.bundles()).contains("org.eclipse.ui.ide").doesNotContain("org.parley.ide");

        // Installed as docs/ide.md says, with the IDE's own launcher running the p2 director.
        Path out = Path.of(System.getProperty("parley.product.out")).resolve("ide");
        Files.createDirectories(out);
        Process director = new ProcessBuilder(java(), "-jar", launcher(ide.dir()).toString(), "-nosplash",
                "-application", "org.eclipse.equinox.p2.director", "-repository", site.toUri().toString(),
                "-installIU", "org.parley.ide.feature.feature.group,org.parley.sample.feature.feature.group")
                .redirectErrorStream(true).redirectOutput(out.resolve("director.log").toFile()).start();
        assertThat(director.waitFor(300, TimeUnit.SECONDS)).as("the director finished").isTrue();
        assertThat(director.exitValue()).as(Files.readString(out.resolve("director.log"))).isZero();
        assertThat(ide.bundles()).contains("org.parley.ide", "org.parley.chat.ui", "org.parley.contacts.ui",
                "org.parley.sample.highlight");

        ProductCopy.Run run = ide.start(tmp.resolve("home"), out, List.of(
                "ideShowView:org.parley.ide.contacts",
                "press:Sign in to Parley…",
                "signIn",
                "openChat:hello alice",
                "send:hi ann, from my IDE",
                "ideSendLines:demo/src/demo/Hello.java:3-5",
                "expectHistory:String greeting",
                "screenshot:ide-installed-chat",
                "close"), Map.of("parley.driver.port", String.valueOf(server.port()), "parley.driver.user", "alice",
                        "parley.plaintext", "true"), 300);
        assertThat(run.result("result")).as(run.describe()).isEqualTo("ok");
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.result("views")).contains("org.parley.ide.contacts");
        // Every installed bundle resolved (an unresolved one would only show as a missing view), and Parley logged
        // no error.
        assertThat(run.log()).doesNotContain("not resolved", "Could not resolve module", "root constraints");
        assertThat(Pattern.compile("!ENTRY org\\.parley\\S* 4 ").matcher(run.log()).find()).as(run.log()).isFalse();

        Users.await("alice's message at ann",
                () -> annGot.stream().anyMatch(m -> m.text().equals("hi ann, from my IDE")));
        String snippet = annGot.stream().map(Chat.ChatMessage::text).filter(t -> t.startsWith("```")).findFirst()
                .orElseThrow(() -> new AssertionError("no snippet reached ann: " + annGot));
        assertThat(snippet).startsWith("```java demo/src/demo/Hello.java:3-5\n")
                .contains("public class Hello {\n    // says hello\n    public static void main(String[] a) {");

        // ann's snippet in alice's chat, coloured by the sample plug-in (Parley's own rendering has no colours).
        Path shot;
        try (Stream<Path> files = Files.list(out.resolve("screenshots"))) {
            shot = files.filter(p -> p.getFileName().toString().endsWith("ide-installed-chat.png")).findFirst()
                    .orElseThrow();
        }
        BufferedImage image = ImageIO.read(shot.toFile());
        int keyword = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == KEYWORD_RGB) {
                    keyword++;
                }
            }
        }
        assertThat(keyword).as("keyword-coloured pixels in " + shot).isPositive();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path launcher(Path product) throws Exception {
        try (Stream<Path> s = Files.list(product.resolve("plugins"))) {
            return s.filter(p -> p.getFileName().toString().matches("org\\.eclipse\\.equinox\\.launcher_.*\\.jar"))
                    .findFirst().orElseThrow();
        }
    }


}
