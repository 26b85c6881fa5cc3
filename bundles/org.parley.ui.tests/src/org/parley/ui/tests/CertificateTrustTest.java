package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.field;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.statusLineShows;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.ui.Preferences;
import org.parley.ui.internal.Messages;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The application against a real TLS server whose certificate an organization CA issued (made here with the JDK's
 * keytool), that CA set as the organization's in the preferences: the server typed by an address the certificate
 * is not issued for is refused in words in the sign-in dialog; typed by its name it signs in without a question;
 * the server renews its certificate (a new key from the same CA, reloaded from its PEM files) and the client
 * reconnects to it without a question or a warning.
 */
class CertificateTrustTest {

    private static final String PASS = "changeit";

    @TempDir
    Path temp;

    @Test
    void aCertificateOfTheOrganizationCaIsTrustedForItsNameAndItsRenewalIsSilent() throws Exception {
        Path pki = Files.createDirectories(temp.resolve("pki"));
        Path tls = Files.createDirectories(temp.resolve("tls"));
        keytool(pki, "-genkeypair", "-keystore", "ca.p12", "-alias", "ca", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=Example Org Test CA", "-ext", "bc:c", "-validity", "30");
        keytool(pki, "-exportcert", "-keystore", "ca.p12", "-alias", "ca", "-rfc", "-file", "ca.pem");
        issue(pki, 1);
        install(pki, tls, 1);
        issue(pki, 2); // the renewal, made now: keytool is slow to start
        Preferences.node().put(Preferences.ORGANIZATION_CA_FILE, pki.resolve("ca.pem").toString());
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"), "--tls", "true", "--tls-cert",
                tls.resolve("fullchain.pem").toString(), "--tls-key", tls.resolve("privkey.pem").toString(),
                "--tls-reload-seconds", "1")) {
            Workbench.useHome(temp.resolve("home"));
            System.clearProperty("parley.plaintext"); // TLS, as a user's client
            Display display = Display.getDefault();
            List<String> questions = new CopyOnWriteArrayList<>();
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            List<String> problems = new CopyOnWriteArrayList<>();
            boolean[] renewed = new boolean[1];
            String[] said = new String[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(), () -> {
                        watchForQuestions(display, questions);
                        signUp(display, "127.0.0.1", server.port); // the certificate names localhost only
                    })
                    .step("the refusal", () -> shellWithButton(display, "Create account").map(s -> button(s,
                            "Create account").isEnabled() && Workbench.message(s).contains("not for the name"))
                            .orElse(false), () -> said[0] = Workbench.message(shellWithButton(display,
                                    "Create account").orElseThrow()))
                    .settle()
                    .step("the dialog to show", () -> true, () -> {
                        Shell login = shellWithButton(display, "Create account").orElseThrow();
                        screenshot(login, "tls-wrong-name");
                        field(login, "host").setText("localhost");
                        button(login, "Create account").notifyListeners(SWT.Selection, new Event());
                    })
                    .step("bob signed in", () -> workbenchShell(display).isPresent()
                            && statusLineShows(display, "● Connected as bob"), () -> {
                                ParleyClient client = ((MWindow) workbenchShell(display).orElseThrow()
                                        .getData("modelElement")).getContext().get(ParleyClient.class);
                                client.addListener(new ClientListener() {
                                    @Override
                                    public void stateChanged(ConnectionState state) {
                                        states.add(state);
                                    }

                                    @Override
                                    public void problem(org.parley.client.core.ParleyClientException problem) {
                                        problems.add(problem.getMessage());
                                    }
                                });
                                Thread renewal = new Thread(() -> {
                                    try {
                                        install(pki, tls, 2); // renewed: a new key, the same CA
                                        awaitReload(server.port, tls);
                                        renewed[0] = true;
                                    } catch (Exception e) {
                                        problems.add("renewal: " + e);
                                    }
                                }, "renewal");
                                renewal.start();
                            })
                    .step("the server renewed its certificate", () -> renewed[0] || !problems.isEmpty(),
                            () -> {
                                ParleyClient client = ((MWindow) workbenchShell(display).orElseThrow()
                                        .getData("modelElement")).getContext().get(ParleyClient.class);
                                client.dropConnection(); // the next handshake gets the renewed certificate
                            })
                    .step("bob reconnected to the renewed certificate", () -> states.contains(
                            ConnectionState.RECONNECTING) && states.get(states.size() - 1) == ConnectionState.ONLINE
                            && statusLineShows(display, "● Connected as bob"), () -> closeWorkbench(display));
            script.start();
            Object exit = e4Application().start(new Workbench.TestApplicationContext());
            assertThat(problems).as("problems the client reported").isEmpty();
            assertNull(script.failure(), script.failure() + "; states after the renewal: " + states);
            assertEquals(IApplication.EXIT_OK, exit);
            assertThat(said[0]).contains("issued by a trusted certificate authority but not for the name 127.0.0.1")
                    .contains("localhost").contains("will not connect");
            assertThat(questions).as("no question and no warning about the certificate, first or renewed")
                    .isEmpty();
        } finally {
            Preferences.node().remove(Preferences.ORGANIZATION_CA_FILE);
            Preferences.save();
        }
    }

    /** Notes any "Trust this server?" or "Server identity changed!" dialog, and answers No / OK to it. */
    private static void watchForQuestions(Display display, List<String> questions) {
        Runnable[] watch = new Runnable[1];
        watch[0] = () -> {
            for (Shell s : display.getShells()) {
                if (!s.isDisposed() && s.isVisible() && (s.getText().equals(Messages.Trust_firstTitle)
                        || s.getText().equals(Messages.Trust_changedTitle))) {
                    questions.add(s.getText());
                    shellWithButtonIn(s, "No", "OK");
                }
            }
            if (!display.isDisposed()) {
                display.timerExec(100, watch[0]);
            }
        };
        display.timerExec(100, watch[0]);
    }

    private static void shellWithButtonIn(Shell s, String... labels) {
        for (String label : labels) {
            Ui.find(s, org.eclipse.swt.widgets.Button.class).stream().filter(b -> b.getText().replace("&", "")
                    .equals(label)).findFirst().ifPresent(b -> b.notifyListeners(SWT.Selection, new Event()));
        }
    }

    private static void signUp(Display display, String host, int port) {
        Shell login = shellWithButton(display, "Sign in").orElseThrow();
        button(login, "Create a new account on this server").setSelection(true);
        button(login, "Create a new account on this server").notifyListeners(SWT.Selection, new Event());
        field(login, "host").setText(host);
        field(login, "port").setText(String.valueOf(port));
        field(login, "user").setText("bob");
        field(login, "password").setText("password-bob");
        field(login, "confirm").setText("password-bob");
        field(login, "displayName").setText("Bob Roy");
        button(login, "Create account").notifyListeners(SWT.Selection, new Event());
    }

    /** A new key and certificate for localhost from the test CA (leafN.p12, leafN.pem). */
    private static void issue(Path pki, int n) throws Exception {
        String store = "leaf" + n + ".p12";
        keytool(pki, "-genkeypair", "-keystore", store, "-alias", "leaf", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-validity", "30");
        keytool(pki, "-certreq", "-keystore", store, "-alias", "leaf", "-file", "leaf" + n + ".csr");
        keytool(pki, "-gencert", "-keystore", "ca.p12", "-alias", "ca", "-infile", "leaf" + n + ".csr", "-outfile",
                "leaf" + n + ".pem", "-rfc", "-ext", "san=dns:localhost", "-validity", "30");
    }

    /** Writes leaf {@code n} as the server's fullchain.pem and privkey.pem, each file replaced at once. */
    private static void install(Path pki, Path tls, int n) throws Exception {
        String store = "leaf" + n + ".p12";
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pki.resolve(store))) {
            ks.load(in, PASS.toCharArray());
        }
        String key = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                ks.getKey("leaf", PASS.toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(tls.resolve("privkey.pem.new"), key);
        Files.writeString(tls.resolve("fullchain.pem.new"), Files.readString(pki.resolve("leaf" + n + ".pem"))
                + Files.readString(pki.resolve("ca.pem")));
        Files.move(tls.resolve("privkey.pem.new"), tls.resolve("privkey.pem"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(tls.resolve("fullchain.pem.new"), tls.resolve("fullchain.pem"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until new connections get the certificate now in fullchain.pem (the server checks every second). */
    private static void awaitReload(int port, Path tls) throws Exception {
        X509Certificate wanted = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificates(Files.newInputStream(tls.resolve("fullchain.pem"))).iterator().next();
        X509Certificate[] seen = new X509Certificate[1];
        javax.net.ssl.X509TrustManager look = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {look}, null);
        for (int i = 0; i < 300 && !wanted.equals(seen[0]); i++) {
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(
                    "127.0.0.1", port)) {
                s.startHandshake();
            }
            if (!wanted.equals(seen[0])) {
                Thread.sleep(100);
            }
        }
        assertThat(seen[0]).as("the server serves the renewed certificate").isEqualTo(wanted);
    }

    private static void keytool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(Arrays.asList(args));
        command.addAll(List.of("-storepass", PASS, "-storetype", "PKCS12", "-noprompt"));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + out);
        }
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
