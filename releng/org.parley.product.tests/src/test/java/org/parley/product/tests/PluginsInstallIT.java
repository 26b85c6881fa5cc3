package org.parley.product.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.server.testing.ParleyServerExtension;

/**
 * Installing and removing Parley features at run time, through the product's UI, in a product of its own
 * process: Parley without file transfer and media (org.parley.product.lite) signs in as alice, installs both from
 * the build's update site in Parley &gt; Plug-ins, restarts, attaches a file that reaches ann (a plain client-core
 * user in this test), uninstalls them, restarts, and still chats, without Attach file. Bad sites get clear errors.
 */
class PluginsInstallIT {

    private static final String ATTACH = "org.parley.filetransfer.ui.attach";

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @TempDir
    Path tmp;

    private ParleyClient ann;
    private final List<Chat.ChatMessage> annGot = new CopyOnWriteArrayList<>();
    private ProductCopy product;
    private Path home;
    private Path out;

    @BeforeEach
    void setUp() throws Exception {
        ann = Users.annAndAlice(server, new ClientListener() {
            @Override
            public void message(Chat.ChatMessage message) {
                annGot.add(message);
            }
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
    void installsFileTransferAndMediaThenRemovesThem() throws Exception {
        Path site = Path.of(System.getProperty("parley.updateSite")).toRealPath();
        assertThat(product.bundles()).contains("org.parley.plugins.ui", "org.parley.chat.ui")
                .doesNotContain("org.parley.filetransfer.ui", "org.parley.media.ui");

        ProductCopy.Run install = start("1-install", List.of(
                "signIn",
                "recordMenu",
                "openChat:hello alice",
                "expectNoAction:" + ATTACH,
                "menu:Parley>Plug-ins…",
                "expectFeature:Parley Chat=installed (built in)",
                "select:Parley Chat",
                "expectDisabled:Uninstall",
                "expectDisabled:Install",
                "site:" + site,
                "expectFeature:Parley File Transfer=available",
                "expectFeature:Parley Media Viewer=available",
                "screenshot:plugins-site",
                "select:Parley File Transfer,Parley Media Viewer",
                "press:Install",
                "press:Yes"));
        assertThat(install.result("result")).as(install.describe()).isEqualTo("ok");
        assertThat(install.result("menu")).contains("Plug-ins…");
        assertThat(install.exitCode()).as("restart asked for: " + install.describe()).isEqualTo(ProductCopy.RESTART);
        assertThat(product.bundles()).contains("org.parley.filetransfer.ui", "org.parley.filetransfer.core",
                "org.parley.media.ui", "org.parley.media.core", "org.parley.plugins.ui");
        assertThat(Files.readString(Path.of(System.getProperty("parley.product.lite")).resolve(
                "configuration/org.eclipse.equinox.simpleconfigurator/bundles.info")))
                .as("the built product is left alone (p2 followed the copy)").doesNotContain("org.parley.filetransfer");

        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "what the plug-in sends\n".repeat(1000));
        ProductCopy.Run attach = start("2-attach-and-uninstall", List.of(
                "awaitWindow",
                "openChat:hello alice",
                "expectAction:" + ATTACH,
                "paste:" + file,
                "send:with plug-ins",
                "screenshot:chat-with-file-transfer",
                "menu:Parley>Plug-ins…",
                "expectFeature:Parley File Transfer=installed",
                "expectFeature:Parley Media Viewer=installed",
                "select:Parley File Transfer,Parley Media Viewer",
                "screenshot:plugins-installed",
                "press:Uninstall",
                "press:OK",
                "press:Yes"));
        assertThat(attach.result("result")).as(attach.describe()).isEqualTo("ok");
        assertThat(attach.result("action." + ATTACH)).isEqualTo("Attach file…");
        assertThat(attach.exitCode()).as(attach.describe()).isEqualTo(ProductCopy.RESTART);
        Users.await("the file at ann", () -> annGot.stream().anyMatch(m -> m.kind() == Chat.Kind.FILE));
        Chat.Attachment got = annGot.stream().filter(m -> m.kind() == Chat.Kind.FILE).findFirst().orElseThrow()
                .attachments().get(0);
        assertThat(got.name()).isEqualTo("notes.txt");
        assertThat(got.size()).isEqualTo(Files.size(file));
        assertThat(got.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file))));
        assertThat(texts()).contains("with plug-ins");
        assertThat(product.bundles()).doesNotContain("org.parley.filetransfer.ui", "org.parley.media.ui")
                .contains("org.parley.chat.ui", "org.parley.contacts.ui", "org.parley.plugins.ui");

        ProductCopy.Run without = start("3-without", List.of(
                "awaitWindow",
                "openChat:with plug-ins",
                "expectNoAction:" + ATTACH,
                "send:still works without them",
                "menu:Parley>Plug-ins…",
                "expectNoFeature:Parley File Transfer",
                "expectFeature:Parley Contacts=installed (built in)",
                "screenshot:plugins-after-uninstall",
                "press:Close",
                "close"));
        assertThat(without.result("result")).as(without.describe()).isEqualTo("ok");
        assertThat(without.exitCode()).as(without.describe()).isZero();
        Users.await("the last message at ann", () -> texts().contains("still works without them"));
    }

    @Test
    void updatesAnInstalledFeatureFromANewerSite() throws Exception {
        Path site = Path.of(System.getProperty("parley.updateSite")).toRealPath();
        Path newer = newerSite(site, tmp.resolve("newer"));
        // This first install reads the site over HTTP (the JDK's file server), as from a web server: p2's remote
        // transport (ECF) for metadata and artifacts. p2 would use https for an http: URL unless p2.httpRule=allow.
        var http = com.sun.net.httpserver.SimpleFileServer.createFileServer(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), site,
                com.sun.net.httpserver.SimpleFileServer.OutputLevel.NONE);
        http.start();
        ProductCopy.Run install;
        try {
            install = start("update-1-install", List.of(
                "signIn",
                "menu:Parley>Plug-ins…",
                "site:http://127.0.0.1:" + http.getAddress().getPort() + "/",
                "expectFeature:Parley File Transfer=available",
                "select:Parley File Transfer",
                "press:Install",
                "press:Yes"));
        } finally {
            http.stop(0);
        }
        assertThat(install.result("result")).as(install.describe()).isEqualTo("ok");
        assertThat(install.exitCode()).as(install.describe()).isEqualTo(ProductCopy.RESTART);

        ProductCopy.Run update = start("update-2-update", List.of(
                "awaitWindow",
                "menu:Parley>Plug-ins…",
                "site:" + newer,
                "expectFeature:Parley File Transfer=update available",
                "expectFeature:Parley Chat=built in (newer on the site)",
                "select:Parley Chat",
                "expectDisabled:Update",
                "select:Parley File Transfer",
                "expectDisabled:Install",
                "screenshot:plugins-update-available",
                "press:Update",
                "press:Yes"));
        assertThat(update.result("result")).as(update.describe()).isEqualTo("ok");
        assertThat(update.exitCode()).as(update.describe()).isEqualTo(ProductCopy.RESTART);

        ProductCopy.Run after = start("update-3-after", List.of(
                "awaitWindow",
                "openChat:hello alice",
                "expectAction:" + ATTACH,
                "menu:Parley>Plug-ins…",
                "expectFeature:Parley File Transfer=installed",
                "recordFeatures",
                "press:Close",
                "close"));
        assertThat(after.result("result")).as(after.describe()).isEqualTo("ok");
        assertThat(after.result("features")).contains("Parley File Transfer=installed@0.1.1 (")
                .contains("Parley Chat=installed (built in)@0.1.0 (");
    }

    /**
     * A copy of the update site whose units are all one version newer (0.1.0.Q becomes 0.1.1.Q, in the metadata,
     * the artifact keys and the file names), as the next build's site would be.
     */
    private static Path newerSite(Path site, Path to) throws Exception {
        String content = xml(site.resolve("content.jar"), "content.xml");
        String artifacts = xml(site.resolve("artifacts.jar"), "artifacts.xml");
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("id='org.parley.filetransfer.feature.feature.group' version='0\\.1\\.0\\.([^']+)'").matcher(content);
        assertThat(m.find()).as("the file transfer feature on the site").isTrue();
        String from = "0.1.0." + m.group(1);
        String newer = "0.1.1." + m.group(1);
        Files.createDirectories(to.resolve("plugins"));
        Files.createDirectories(to.resolve("features"));
        Files.writeString(to.resolve("content.xml"), content.replace(from, newer));
        Files.writeString(to.resolve("artifacts.xml"), artifacts.replace(from, newer));
        for (String dir : List.of("plugins", "features")) {
            try (var files = Files.list(site.resolve(dir))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, to.resolve(dir).resolve(f.getFileName().toString().replace(from, newer)));
                }
            }
        }
        return to;
    }

    private static String xml(Path jar, String entry) throws Exception {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
            return new String(z.getInputStream(z.getEntry(entry)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void badSitesGetClearErrors() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-site"));
        Path damaged = Files.createDirectories(tmp.resolve("damaged"));
        Files.writeString(damaged.resolve("content.xml"), "<?xml version='1.0'?><repository><units");
        Files.writeString(damaged.resolve("artifacts.xml"), "not xml");
        Path other = site(tmp.resolve("other"), "com.example.tool.feature.group", "Example Tool", null);
        Path needy = site(tmp.resolve("needy"), "org.parley.extra.feature.group", "Parley Extra",
                "org.parley.missing.feature.group");
        Path notZip = Files.writeString(tmp.resolve("notes.txt"), "not a site");
        Path zip = zip(Path.of(System.getProperty("parley.updateSite")).toRealPath(), tmp.resolve("site.zip"));
        ProductCopy.Run run = start("bad-sites", List.of(
                "signIn",
                "menu:Parley>Plug-ins…",
                "site:" + tmp.resolve("nowhere"),
                "expectMessage:There is no file or directory " + tmp.resolve("nowhere"),
                "site:" + empty,
                "expectMessage:No update site at " + empty,
                "screenshot:plugins-not-a-site",
                "site:" + damaged,
                "expectMessage:is damaged or cannot be read",
                "site:http://127.0.0.1:" + closedPort() + "/site",
                "expectMessage:Cannot reach the update site at http://127.0.0.1:",
                "site:ftp://example.org/site",
                "expectMessage:Only http:, https: and file: sites are supported",
                "site:" + notZip,
                "expectMessage:is a file but not a .zip archive",
                "site:" + zip,
                "expectMessage:" + zip + " offers",
                "expectFeature:Parley File Transfer=available",
                "site:" + other,
                "expectMessage:offers no Parley features",
                "site:" + needy,
                "expectFeature:Parley Extra=available",
                "select:Parley Extra",
                "press:Install",
                "expectMessage:org.parley.missing.feature.group",
                "screenshot:plugins-missing-requirement",
                "recordFeatures",
                "press:Close",
                "close"));
        assertThat(run.result("result")).as(run.describe()).isEqualTo("ok");
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.result("site." + empty)).contains("No update site at " + empty);
        assertThat(product.bundles()).doesNotContain("org.parley.filetransfer.ui");
    }

    private ProductCopy.Run start(String name, List<String> commands) throws Exception {
        return product.start(home, out.resolve(name), commands, Map.of("parley.driver.port",
                String.valueOf(server.port()), "parley.driver.user", "alice", "parley.plaintext", "true", "p2.httpRule", "allow"), 300);
    }

    private List<String> texts() {
        List<String> t = new ArrayList<>();
        annGot.forEach(m -> t.add(m.text()));
        return t;
    }

    /** A p2 repository written by hand: one feature group, optionally requiring another that exists nowhere. */
    private static Path site(Path dir, String id, String name, String requires) throws Exception {
        Files.createDirectories(dir);
        String req = requires == null ? "" : "<requires size='1'><required namespace='org.eclipse.equinox.p2.iu' name='"
                + requires + "' range='[1.0.0,2.0.0)'/></requires>";
        Files.writeString(dir.resolve("content.xml"), """
                <?xml version='1.0' encoding='UTF-8'?>
                <?metadataRepository version='1.2.0'?>
                <repository name='test' type='org.eclipse.equinox.internal.p2.metadata.repository.LocalMetadataRepository' version='1'>
                  <properties size='1'><property name='p2.timestamp' value='1'/></properties>
                  <units size='1'>
                    <unit id='%1$s' version='1.0.0'>
                      <properties size='2'><property name='org.eclipse.equinox.p2.name' value='%2$s'/><property name='org.eclipse.equinox.p2.type.group' value='true'/></properties>
                      <provides size='1'><provided namespace='org.eclipse.equinox.p2.iu' name='%1$s' version='1.0.0'/></provides>
                      %3$s
                      <touchpoint id='null' version='0.0.0'/>
                    </unit>
                  </units>
                </repository>
                """.formatted(id, name, req));
        Files.writeString(dir.resolve("artifacts.xml"), """
                <?xml version='1.0' encoding='UTF-8'?>
                <?artifactRepository version='1.1.0'?>
                <repository name='test' type='org.eclipse.equinox.p2.artifact.repository.simpleRepository' version='1'>
                  <properties size='1'><property name='p2.timestamp' value='1'/></properties>
                  <artifacts size='0'/>
                </repository>
                """);
        return dir;
    }

    private static Path zip(Path dir, Path zip) throws Exception {
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip));
                var files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    out.putNextEntry(new java.util.zip.ZipEntry(dir.relativize(f).toString()));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
        return zip;
    }

    private static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }


}
