package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** scripts/drover itself: the java it runs, and the flags it gives that java by its version. */
@Timeout(120)
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("drover.root"));

    @Test
    void saysSoWhenJavaHomeHoldsNoJava(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("no-jdk");
        Output result = launcher(dir, home, "status");
        assertEquals(127, result.code(), result.text());
        assertTrue(result.text().contains("drover: cannot run " + home.resolve("bin/java") + ": no such program (from JAVA_HOME=" + home + ")"),
                result.text());
    }

    @Test
    void givesJava25ItsNativeAccessFlagFromTheVersionInItsReleaseFile(@TempDir Path dir) throws Exception {
        Optional<String> java = JavaVersions.temurin25();
        assumeTrue(java.isPresent(), "no Temurin 25 JDK under /usr/lib/jvm");
        Path home = Path.of(java.get()).getParent().getParent();
        assertTrue(Files.readString(home.resolve("release")).contains("JAVA_VERSION=\"25"), "the JDK's release file names 25");
        // status reads the pid file's lock through jffi, whose stub a Java 25 without the flag warns about loading
        Output result = launcher(dir, home, "status", "--pid-file", dir.resolve("app.pid").toString());
        assertEquals(3, result.code(), result.text());
        assertTrue(result.text().contains("not run"), result.text());
        assertFalse(result.text().contains("WARNING"), result.text());
    }

    private record Output(int code, String text) {}

    /** scripts/drover with the Hello example and {@code javaHome} as JAVA_HOME; its exit code and its output (both streams). */
    private static Output launcher(Path dir, Path javaHome, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("scripts/drover").toString(), "dev.drover.examples.Hello"));
        command.addAll(List.of(args));
        Path out = dir.resolve("launcher.out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("scripts/drover " + String.join(" ", args) + " did not finish: " + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Output(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
