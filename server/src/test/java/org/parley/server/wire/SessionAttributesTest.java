package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.session.AttributeKey;
import org.junit.jupiter.api.Test;

/** A connection's attributes in the compact map: MINA's semantics of each operation, and none lost under races. */
class SessionAttributesTest {

    private final SessionAttributes map = new SessionAttributes();
    private final AttributeKey a = new AttributeKey(SessionAttributesTest.class, "a");
    private final AttributeKey b = new AttributeKey(SessionAttributesTest.class, "b");

    @Test
    void eachOperationDoesWhatMinasMapDoes() {
        assertThat(map.getAttribute(null, a, null)).isNull();
        assertThat(map.setAttribute(null, a, "1")).isNull();
        assertThat(map.setAttribute(null, b, "2")).isNull();
        assertThat(map.setAttribute(null, a, "3")).as("the value before").isEqualTo("1");
        assertThat(map.getAttribute(null, a, null)).isEqualTo("3");
        assertThat(map.getAttribute(null, b, "default")).as("present: not replaced by the default").isEqualTo("2");
        assertThat(map.getAttributeKeys(null)).containsExactlyInAnyOrder(a, b);

        assertThat(map.setAttributeIfAbsent(null, a, "4")).isEqualTo("3");
        assertThat(map.getAttribute(null, a, null)).isEqualTo("3");
        assertThat(map.replaceAttribute(null, a, "wrong", "5")).isFalse();
        assertThat(map.replaceAttribute(null, a, "3", "5")).isTrue();
        assertThat(map.getAttribute(null, a, null)).isEqualTo("5");
        assertThat(map.removeAttribute(null, a, "3")).as("not its value").isFalse();
        assertThat(map.removeAttribute(null, a, "5")).isTrue();
        assertThat(map.containsAttribute(null, a)).isFalse();
        assertThat(map.getAttributeKeys(null)).containsExactly(b);

        assertThat(map.getAttribute(null, a, "default")).as("absent: the default, now set").isEqualTo("default");
        assertThat(map.containsAttribute(null, a)).isTrue();
        assertThat(map.setAttribute(null, a, null)).as("null removes").isEqualTo("default");
        assertThat(map.removeAttribute(null, b)).isEqualTo("2");
        assertThat(map.removeAttribute(null, b)).isNull();
        assertThat(map.getAttributeKeys(null)).isEmpty();
        assertThat(map.setAttributeIfAbsent(null, a, null)).isNull();
        assertThat(map.containsAttribute(null, a)).isFalse();

        // An equal key that is another object finds the same attribute (AttributeKey compares by name).
        map.setAttribute(null, "key", "x");
        assertThat(map.getAttribute(null, new String("key"), null)).isEqualTo("x");
        assertThatThrownBy(() -> map.setAttribute(null, null, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Eight threads add, change and remove attributes at once, while racing for the same ones: every change made
     * alone is kept (a copy-on-write without the lock loses some), and each contested attribute has one winner.
     */
    @Test
    void concurrentChangesAreAllKeptAndEachContestedAttributeHasOneWinner() throws Exception {
        int threads = 8;
        int keys = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Object>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Object> won = new ArrayList<>();
                    for (int k = 0; k < keys; k++) {
                        map.setAttribute(null, "own-" + thread + "-" + k, k);
                        won.add(map.getAttribute(null, "shared-" + k, "from-" + thread));
                        map.setAttribute(null, "gone-" + thread + "-" + k, k);
                        map.removeAttribute(null, "gone-" + thread + "-" + k);
                    }
                    return won;
                }));
            }
            start.countDown();
            List<List<Object>> all = new ArrayList<>();
            for (Future<List<Object>> f : results) {
                all.add(f.get(60, TimeUnit.SECONDS));
            }
            for (int k = 0; k < keys; k++) {
                Object winner = map.getAttribute(null, "shared-" + k, null);
                for (List<Object> won : all) {
                    assertThat(won.get(k)).as("every thread saw the one value of shared-" + k).isEqualTo(winner);
                }
            }
            for (int t = 0; t < threads; t++) {
                for (int k = 0; k < keys; k++) {
                    assertThat(map.getAttribute(null, "own-" + t + "-" + k, null)).isEqualTo(k);
                }
            }
            assertThat(map.getAttributeKeys(null)).hasSize(threads * keys + keys);
        } finally {
            pool.shutdownNow();
        }
    }
}
