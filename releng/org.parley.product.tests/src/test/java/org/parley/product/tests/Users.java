package org.parley.product.tests;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.server.testing.ParleyServerExtension;

/**
 * What the product-level tests share: ann, a plain client-core user in the test, and alice, the user the product
 * signs in as (password {@code password-alice}), contacts with a direct conversation that holds "hello alice".
 */
final class Users {

    /** ann, signed in, with her listener; {@link #conversation} is hers with alice. */
    final ParleyClient ann;
    final long conversation;

    private Users(ParleyClient ann, long conversation) {
        this.ann = ann;
        this.conversation = conversation;
    }

    static Users annAndAlice(ParleyServerExtension server, ClientListener annListener) throws Exception {
        ParleyClient ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port()).plaintext()
                .device("test"));
        ann.addListener(annListener);
        get(ann.register("ann", "password-ann", "Ann Lee"));
        try (ParleyClient alice = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port()).plaintext())) {
            get(alice.register("alice", "password-alice", "Alice Ray"));
            get(ann.requestContact("alice"));
            await("alice to see ann's request", () -> {
                try {
                    return get(alice.listContacts()).toString().contains("ann");
                } catch (Exception e) {
                    return false;
                }
            });
            get(alice.answerContact("ann", true));
        }
        long conversation = get(ann.openDirect("alice")).id();
        get(ann.send(conversation, "hello alice"));
        return new Users(ann, conversation);
    }

    /** The driver bundle and what it needs, as built (system property {@code parley.driver.bundles}). */
    static List<Path> driverBundles() {
        return Arrays.stream(System.getProperty("parley.driver.bundles").split(",")).map(Path::of).toList();
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
