import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import org.parley.server.accounts.PasswordHasher;

/**
 * The CPU time of one password check, the part of a password login that the key derivation costs: the server's own
 * {@link PasswordHasher} verifying a stored Argon2id hash, one check at a time on one thread (the server runs one
 * such thread per core, {@code login-hash-threads}). For each cost (memory KiB × passes): the checking thread's
 * CPU time per check, the whole process's (the collector and the JIT included: Argon2 allocates its memory anew for
 * every check) and the wall time; "per core" is 1,000 / the process's CPU milliseconds per check, what one core
 * spent only on checking would give. CPU time, not wall time, is the figure that holds on a shared machine.
 *
 * <pre>
 * bench/micro/password-kdf.sh [checks per cost] [costs, e.g. 19456x2,256x1]   (defaults: 30, 19456x2,256x1)
 * </pre>
 */
public class PasswordKdf {
    public static void main(String[] a) throws Exception {
        int checks = a.length > 1 ? Integer.parseInt(a[1]) : 30;
        String[] costs = (a.length > 2 ? a[2] : "19456x2,256x1").split(",");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("# cost (KiB x passes), checks, thread CPU ms/check, process CPU ms/check, wall ms/check, "
                + "checks/s per core (process CPU)");
        for (String cost : costs) {
            String[] mt = cost.split("x");
            int m = Integer.parseInt(mt[0]);
            int t = Integer.parseInt(mt[1]);
            PasswordHasher hasher = new PasswordHasher(m, t);
            String stored = hasher.hash("correct horse battery staple");
            // Warm-up: the JIT compiles the Argon2 rounds; a third of the checks, at least 5.
            for (int i = 0; i < Math.max(5, checks / 3); i++) {
                check(hasher, stored);
            }
            long thread0 = threads.getCurrentThreadCpuTime();
            long process0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < checks; i++) {
                check(hasher, stored);
            }
            double thread = (threads.getCurrentThreadCpuTime() - thread0) / 1e6 / checks;
            double process = (os.getProcessCpuTime() - process0) / 1e6 / checks;
            double wall = (System.nanoTime() - wall0) / 1e6 / checks;
            double perCore = 1000 / process;
            System.out.printf(Locale.ROOT, "argon2id m=%d KiB t=%d: %d checks, thread CPU %.1f ms, process CPU %.1f ms,"
                    + " wall %.1f ms per check: %.1f checks/s per core%n", m, t, checks, thread, process, wall, perCore);
            System.out.printf(Locale.ROOT, "json {\"memoryKiB\":%d,\"iterations\":%d,\"checks\":%d,"
                    + "\"threadCpuMsPerCheck\":%.2f,\"processCpuMsPerCheck\":%.2f,\"wallMsPerCheck\":%.2f,"
                    + "\"checksPerSecondPerCore\":%.1f,\"loadavg1\":%s}%n", m, t, checks, thread, process, wall, perCore,
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        }
    }

    private static void check(PasswordHasher hasher, String stored) {
        if (!hasher.verify("correct horse battery staple", stored)) {
            throw new IllegalStateException("the check refused the right password");
        }
    }
}
