package org.parley.filetransfer.ui;

/** Human-readable byte counts ("3.4 MB of 12 MB"). */
public final class Sizes {

    private Sizes() {
    }

    public static String of(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return (v >= 100 ? String.format("%.0f", v) : String.format("%.1f", v)) + " " + units[u];
    }

    public static String progress(long done, long total) {
        return total < 0 ? "Starting" : of(done) + " of " + of(total);
    }
}
