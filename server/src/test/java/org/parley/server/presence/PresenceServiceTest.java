package org.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Message;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.OnlineUsers;
import org.parley.server.storage.h2.H2Storage;
import org.parley.server.testing.RecordingLink;

/**
 * Presence against a real H2 store and real online users: what it keeps of accounts that signed in and out. The
 * times of the last pushes are counted through the map the service is given (its seam).
 */
class PresenceServiceTest {

    private static final AtomicLong LINKS = new AtomicLong();

    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /**
     * 200 contacts of ann sign in and out, each twice, the second time within the interval that spaces an account's
     * pushes (so the last state waits its turn): ann sees each of them OFFLINE at the end, and then the service
     * holds no time for anyone, ann included, who is still online; before, it kept one for every account that ever
     * changed presence, for the life of the server, and then one for every account online.
     */
    @Test
    void accountsThatSignedOutAreForgottenOnceTheirPushIntervalIsOver() throws Exception {
        Map<Long, Long> lastPush = new ConcurrentHashMap<>();
        try (H2Storage storage = H2Storage.open(dir, false)) {
            long ann = storage.accounts().create("ann", "Ann", "$argon2id$x", false, 1).id();
            List<Long> others = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long other = storage.accounts().create("u" + i, "U" + i, "$argon2id$x", false, 1).id();
                storage.contacts().addContacts(ann, other);
                others.add(other);
            }
            OnlineUsers online = new OnlineUsers();
            new PresenceService(online, storage.contacts(), new NameCache(storage.accounts(), 1000), timer, 100,
                    lastPush);
            RecordingLink annLink = new RecordingLink(LINKS.incrementAndGet(), ann);
            online.add(annLink);
            for (int round = 0; round < 2; round++) {
                for (long other : others) {
                    RecordingLink link = new RecordingLink(LINKS.incrementAndGet(), other);
                    online.add(link);
                    online.remove(link);
                }
            }
            Set<String> offline = ConcurrentHashMap.newKeySet();
            awaitTrue(() -> {
                offline.clear();
                Map<String, Contacts.Presence> last = new ConcurrentHashMap<>();
                for (Message m : annLink.pushed) {
                    if (m instanceof Contacts.PresenceChanged p) {
                        last.put(p.user(), p.presence());
                    }
                }
                last.forEach((user, presence) -> {
                    if (presence == Contacts.Presence.OFFLINE) {
                        offline.add(user);
                    }
                });
                return offline.size() == others.size();
            });
            assertThat(offline).as("ann saw each of them go offline, last").hasSize(others.size());
            awaitTrue(lastPush::isEmpty);
            assertThat(lastPush).as("no time is kept past its interval, not even ann's, who is online").isEmpty();
            assertThat(online.isOnline(ann)).isTrue();
        }
    }

    /** Waits (generously: the machine may be loaded) until {@code done}; the caller asserts what it waited for. */
    private static void awaitTrue(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
