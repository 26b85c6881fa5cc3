package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ClientIdsTest {

    private long now = 1_765_000_000_000L;
    private final ClientIds ids = new ClientIds(() -> now, new Random(7));

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        String id = ids.nextId();
        UUID uuid = UUID.fromString(id);
        assertThat(id).hasSize(36).isEqualTo(id.toLowerCase());
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(now);
    }

    @Test
    void idsGrowAsStringsWithinAMillisecondAcrossMillisecondsAndWhenTheClockStepsBack() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // more than one millisecond's counter can hold
            made.add(ids.nextId());
        }
        now += 5;
        made.add(ids.nextId());
        now -= 1_000; // the clock steps back: ids keep growing
        for (int i = 0; i < 100; i++) {
            made.add(ids.nextId());
        }
        for (int i = 1; i < made.size(); i++) {
            assertThat(made.get(i)).isGreaterThan(made.get(i - 1));
            assertThat(UUID.fromString(made.get(i)).version()).isEqualTo(7);
        }
        assertThat(made).doesNotHaveDuplicates();
    }

    @Test
    void theSharedGeneratorMakesGrowingIds() {
        String first = ClientIds.next();
        String second = ClientIds.next();
        assertThat(second).isGreaterThan(first);
        assertThat(UUID.fromString(second).version()).isEqualTo(7);
    }
}
