package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void pastItsCapacityOnlyTheOldestIsForgotten() {
        RecentIds ids = new RecentIds(3);
        ids.add("a");
        ids.add("b");
        ids.add("c");
        ids.add("d");

        assertThat(ids.contains("a")).isFalse();
        assertThat(ids.contains("b")).isTrue();
        assertThat(ids.contains("c")).isTrue();
        assertThat(ids.contains("d")).isTrue();
        assertThat(ids.size()).isEqualTo(3);
    }

    @Test
    void theClientsCapacityKeepsItsLatestTenThousandSends() {
        RecentIds ids = new RecentIds(10_000);
        for (int i = 0; i < 25_000; i++) {
            ids.add("m" + i);
        }
        assertThat(ids.size()).isEqualTo(10_000);
        assertThat(ids.contains("m14999")).isFalse();
        assertThat(ids.contains("m15000")).isTrue();
        assertThat(ids.contains("m24999")).isTrue();
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new RecentIds(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
