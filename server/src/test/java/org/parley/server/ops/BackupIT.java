package org.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.server.Main;
import org.parley.server.ParleyServer;
import org.parley.server.config.ServerConfig;
import org.parley.server.storage.h2.MvStoreMessageLog;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Online backup of a running server during a message burst, and a restore that a new server starts on. */
class BackupIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension().with("--metrics-address",
            "127.0.0.1:0"));

    /**
     * Where the data is kept: by default a new data directory, so the messages are in the MVStore log; a subclass runs
     * the same tests with them in the SQL table.
     */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    /** The storage flags the server started on the restored data needs (as {@link #onStorage}'s). */
    List<String> storageFlags() {
        return List.of();
    }

    @Test
    void aBackupTakenDuringABurstHoldsEveryMessageAcknowledgedBeforeIt(@TempDir Path dir) throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob").close();
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch some = new CountDownLatch(50);
        Thread burst = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                ann.request(new Chat.Send(c, "m" + i, Kind.TEXT, "burst " + i, List.of()), Chat.Sent.class);
                acknowledged.add("m" + i);
                some.countDown();
            }
        });
        burst.start();
        some.await();
        Set<String> beforeBackup = Set.copyOf(acknowledged);
        Path backup = dir.resolve("parley-backup.zip");
        int opsPort = server.server().opsAddress().getPort();
        Main.main(new String[] {"backup", "--to", backup.toString(), "--data-dir", server.dataDir().toString(),
            "--metrics-address", "127.0.0.1:" + opsPort});
        stop.set(true);
        burst.join();
        assertThat(acknowledged.size()).isGreaterThan(beforeBackup.size());
        assertThat(backup).isRegularFile();

        Path restored = dir.resolve("restored");
        Main.main(new String[] {"restore", "--from", backup.toString(), "--data-dir", restored.toString()});
        assertThatThrownBy(() -> Backups.restore(backup, restored)).hasMessageContaining("not empty");

        List<String> flags = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--plaintext",
                "--data-dir", restored.toString()));
        flags.addAll(storageFlags());
        try (ParleyServer second = ParleyServer.start(ServerConfig.parse(flags));
                TestConnection again = TestConnection.open("127.0.0.1", second.port(), false)) {
            again.hello();
            again.request(new Accounts.Login("ann", "password-ann", "test"), Accounts.LoggedIn.class);
            List<String> ids = new ArrayList<>();
            long after = 0;
            while (true) {
                Chat.MessagePage page = again.request(new Chat.FetchAfter(c, after, 500), Chat.MessagePage.class);
                page.messages().forEach(m -> ids.add(m.clientMessageId()));
                if (page.messages().isEmpty() || !page.more()) {
                    break;
                }
                after = page.messages().get(page.messages().size() - 1).seq();
            }
            assertThat(ids).containsAll(beforeBackup);
            assertThat(Set.copyOf(ids)).isSubsetOf(acknowledged);
        }
    }

    @Test
    void aBackupNeedsTheTokenOfTheDataDirectory(@TempDir Path dir) throws Exception {
        int opsPort = server.server().opsAddress().getPort();
        Path elsewhere = Files.createDirectories(dir.resolve("other"));
        Files.writeString(elsewhere.resolve(Backups.TOKEN_FILE), "not the token");
        assertThatThrownBy(() -> Backups.fetch("127.0.0.1", opsPort, elsewhere, dir.resolve("x.zip")))
                .hasMessageContaining("HTTP 403");
        assertThat(dir.resolve("x.zip")).doesNotExist();
        assertThat(dir.resolve("x.zip.part")).doesNotExist();
        assertThat(Files.getPosixFilePermissions(server.dataDir().resolve(Backups.TOKEN_FILE)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theLogFileIsReadableByTheServersUserOnly() throws Exception {
        Assumptions.assumeFalse(storageFlags().contains("sql"), "the messages are in the SQL table");
        assertThat(Files.getPosixFilePermissions(server.dataDir().resolve(MvStoreMessageLog.FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
