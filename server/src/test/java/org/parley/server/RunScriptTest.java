package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * releng/scripts/built.sh, the rule by which the README's run command (releng/scripts/run.sh) decides whether to
 * build (issue 12, bug 8): "built" comes from the build's own outputs (the server jar and the product's
 * configuration) being newer than every file the build reads, so the first start right after a full
 * {@code ./mvnw verify} builds nothing, a later change to a source asks for a build, and a change to the scripts
 * does not. Run with bash in a small copy of the repository's layout, as a git checkout and as an unpacked archive.
 */
class RunScriptTest {

    private static final Path BUILT_SH = Path.of("..", "releng", "scripts", "built.sh").toAbsolutePath().normalize();
    private static final String JAR = "server/target/parley-server.jar";
    private static final String CONFIG =
            "releng/org.parley.repository/target/products/org.parley.product/linux/gtk/x86_64/configuration/config.ini";

    @TempDir
    Path repo;

    private record Result(int exit, String output) {
    }

    private Result built() throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder("bash", "-c", "set -euo pipefail; . '" + BUILT_SH + "'; parley_built")
                .directory(repo.toFile()).redirectErrorStream(true);
        // the temporary folder may lie inside another checkout (this one's target): git must not look above it
        b.environment().put("GIT_CEILING_DIRECTORIES", repo.getParent().toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.strip());
    }

    private void write(String path, Instant time) throws IOException {
        Path f = repo.resolve(path);
        Files.createDirectories(f.getParent());
        if (!Files.exists(f)) {
            Files.writeString(f, path);
        }
        Files.setLastModifiedTime(f, FileTime.from(time));
    }

    private void git(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=test", "-c",
                "user.email=test@example.org", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        b.environment().put("GIT_CEILING_DIRECTORIES", repo.getParent().toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Sources written an hour ago, then a full build's outputs a minute ago. */
    private void sourcesThenBuild(Instant now) throws IOException {
        Instant hourAgo = now.minusSeconds(3600);
        for (String source : List.of("pom.xml", "server/pom.xml", "server/src/main/java/A.java",
                "bundles/org.parley.ui/src/B.java", "releng/scripts/run.sh", "README.md")) {
            write(source, hourAgo);
        }
        write(JAR, now.minusSeconds(90));
        write(CONFIG, now.minusSeconds(60));
    }

    @Test
    void aFreshBuildCountsASourceChangeAsksAgainAScriptChangeDoesNot() throws Exception {
        Instant now = Instant.now();
        sourcesThenBuild(now);
        git("init", "-q");
        git("add", "pom.xml", "server/pom.xml", "server/src", "bundles", "releng/scripts", "README.md");
        git("commit", "-q", "-m", "sources");

        assertThat(built().exit()).as("right after ./mvnw verify: built").isZero();

        write("releng/scripts/run.sh", now); // the scripts are not read by the build
        write("README.md", now); // nor the docs
        assertThat(built().exit()).as("a script or a doc changed: still built").isZero();

        write("bundles/org.parley.ui/src/B.java", now);
        Result changed = built();
        assertThat(changed.exit()).as("a source changed: build").isNotZero();
        assertThat(changed.output()).isEqualTo("Changed since the last build: bundles/org.parley.ui/src/B.java");
    }

    @Test
    void anUnpackedArchiveIsJudgedByItsFilesOutsideTheTargetFolders() throws Exception {
        Instant now = Instant.now();
        sourcesThenBuild(now);
        write("bundles/org.parley.ui/target/classes/B.class", now); // the build's own, newer: not a change

        assertThat(built().exit()).as("no git: built").isZero();

        write("server/pom.xml", now);
        Result changed = built();
        assertThat(changed.exit()).isNotZero();
        assertThat(changed.output()).isEqualTo("Changed since the last build: server/pom.xml");
    }

    @Test
    void withoutTheBuildsOutputsItIsNotBuilt() throws Exception {
        sourcesThenBuild(Instant.now());
        Files.delete(repo.resolve(CONFIG)); // the server jar alone: the client product was never made

        assertThat(built().exit()).isNotZero();
    }
}
