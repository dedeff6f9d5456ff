package dev.drover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one class path every process test starts JVMs with: these test classes plus the runtime jars. */
final class TestClassPath {
    private static String value;

    private TestClassPath() {}

    static synchronized String get() {
        if (value == null) {
            value = System.getProperty("drover.test.classes") + ":" + jars();
        }
        return value;
    }

    /** {@link #get} without Lettuce, as an application that left it out runs: its Redis backend cannot start. */
    static String withoutLettuce() {
        return String.join(":", java.util.Arrays.stream(get().split(":")).filter(entry -> !entry.contains("lettuce-core")).toList());
    }

    /** The runtime jars alone (drover, Netty, jnr, picocli): an application packed as jars adds its own. */
    static String jars() {
        try {
            return Files.readString(Path.of(System.getProperty("drover.test.classpath"))).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("run the process tests through Maven (mvn verify): " + e.getMessage(), e);
        }
    }
}
