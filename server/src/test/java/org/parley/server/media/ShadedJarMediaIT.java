package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged server (target/parley-server.jar, shaded) still finds the TwelveMonkeys ImageIO plug-ins, which
 * register through META-INF/services files that the shade plugin must merge. Runs after packaging (failsafe).
 */
class ShadedJarMediaIT {

    @Test
    void theShadedJarFindsEveryPictureReader() throws Exception {
        Path jar = Path.of("target", "parley-server.jar");
        assertThat(jar).as("run after package: mvn verify").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", jar.toString(), MediaCheck.class.getName())
                .redirectErrorStream(true);
        // A display that does not exist: the pipeline must not need one (it sets java.awt.headless itself).
        pb.environment().put("DISPLAY", ":4321");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("image/jpeg: com.twelvemonkeys.imageio.plugins.jpeg.")
                .contains("image/webp: com.twelvemonkeys.imageio.plugins.webp.")
                .contains("image/png: ").contains("image/gif: ").contains("image/bmp: ")
                .contains("thumbnail of a WebP: ").doesNotContain(": none").endsWith("ok\n");
        assertThat(Files.size(jar)).isPositive();
    }
}
