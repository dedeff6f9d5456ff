package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** scripts/drover itself: the java it runs, and the flags it gives that java by its version. */
@Timeout(120)
class LauncherIT {
    @Test
    void saysSoWhenJavaHomeHoldsNoJava(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("no-jdk");
        Launcher.Output result = launcher(dir, home, "status");
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
        Launcher.Output result = launcher(dir, home, "status", "--pid-file", dir.resolve("app.pid").toString());
        assertEquals(3, result.code(), result.text());
        assertTrue(result.text().contains("not run"), result.text());
        assertFalse(result.text().contains("WARNING"), result.text());
    }

    @Test
    void passesJavaOptsAsTheyAreWhenAWordLooksLikeAFilePattern(@TempDir Path dir) throws Exception {
        String pidFile = dir.resolve("Hello.pid").toString();
        String options = "-Dhello.listen=http://[::1]:0 -Dhello.count=1";
        try {
            Launcher.Output started = Launcher.run(dir, "dev.drover.examples.Hello", env -> env.put("JAVA_OPTS", options),
                    "start", "-d", "--pid-file", pidFile);
            assertEquals(0, started.code(), started.text());
            assertTrue(started.text().contains("listening on http://[::1]:"), started.text());
        } finally {
            Launcher.run(dir, "dev.drover.examples.Hello", env -> env.remove("JAVA_OPTS"), "stop", "--pid-file", pidFile);
        }
    }

    /** Workerman lists its commands for a word that is none; picocli guessed one ("Did you mean: Hello status?"). */
    @Test
    void anUnknownCommandIsNamedAndTheCommandsListed(@TempDir Path dir) throws Exception {
        Launcher.Output result = Launcher.run(dir, "dev.drover.examples.Hello", env -> env.remove("JAVA_OPTS"), "bogus");
        assertEquals(2, result.code(), result.text());
        assertTrue(result.text().startsWith("drover[Hello]: unknown command 'bogus'\n"), result.text());
        for (String command : new String[] {"start", "stop", "restart", "reload", "status", "connections"}) {
            assertTrue(result.text().contains("\n  " + command + " "), command + " listed:\n" + result.text());
        }
    }

    /** scripts/drover with the Hello example and {@code javaHome} as JAVA_HOME. */
    private static Launcher.Output launcher(Path dir, Path javaHome, String... args) throws Exception {
        return Launcher.run(dir, "dev.drover.examples.Hello", env -> {
            env.put("JAVA_HOME", javaHome.toString());
            env.remove("JAVA_OPTS");
        }, args);
    }
}
