package org.parley.protocol;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Client message ids that sort by time: UUID version 7 (RFC 9562), written the usual way (36 characters, lower-case
 * hex). The first 48 bits are the Unix time in milliseconds, the next 12 a counter within the millisecond (started
 * at a random value below 2,048 each new millisecond), then 62 random bits. The ids one generator makes are
 * strictly increasing, as strings and as UUIDs, even if the clock steps back (the last time is kept until the clock
 * passes it) or more than 2,048 ids are made in one millisecond (the time then moves on by one).
 *
 * <p>Why: the server keeps a unique index on (sender, client message id) for idempotent sends; ids that grow with
 * time land at the end of their sender's range in that index, where random UUIDs land on a different page each
 * (docs/decisions/message-log.md). The server accepts any id of 1 to 64 characters; this is only what Parley's own
 * client sends.
 */
public final class ClientIds {

    private static final ClientIds DEFAULT = new ClientIds(System::currentTimeMillis, new SecureRandom());

    private final LongSupplier clock;
    private final RandomGenerator random;
    private long lastMillis = -1;
    private int counter;

    /** A generator on its own clock and random source (tests; {@link #next()} uses the shared one). */
    public ClientIds(LongSupplier clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** A new time-ordered client message id (from one generator shared by the whole process). */
    public static String next() {
        return DEFAULT.nextId();
    }

    /** A new id from this generator: greater than every id it made before. */
    public synchronized String nextId() {
        long now = clock.getAsLong();
        if (now > lastMillis) {
            lastMillis = now;
            counter = random.nextInt(2048);
        } else if (++counter > 0xfff) {
            lastMillis++; // the counter ran out within one millisecond: borrow the next one
            counter = random.nextInt(2048);
        }
        long high = (lastMillis & 0xffff_ffff_ffffL) << 16 | 0x7000 | counter;
        long low = random.nextLong() & 0x3fff_ffff_ffff_ffffL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
