package org.parley.server.wire;

/** A per-connection request budget: {@code rate} tokens a second, at most {@code burst} saved up. */
final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(int ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes one token if there is one. Called from one thread at a time (the connection's ordered executor). */
    boolean tryTake() {
        return tryTake(1);
    }

    /** Takes {@code cost} tokens (a fraction for cheap requests) if there are that many. */
    synchronized boolean tryTake(double cost) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= cost) {
            tokens -= cost;
            return true;
        }
        return false;
    }
}
