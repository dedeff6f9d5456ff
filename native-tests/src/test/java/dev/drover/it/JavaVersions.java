package dev.drover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Java installations on this machine and their feature versions. */
final class JavaVersions {
    private static final Map<String, Integer> FEATURES = new ConcurrentHashMap<>();
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)");

    private JavaVersions() {}

    /** The feature version of a {@code java} executable (17, 21, 25, ...). */
    static int feature(String java) {
        return FEATURES.computeIfAbsent(java, JavaVersions::ask);
    }

    private static int ask(String java) {
        String text = Processes.run(java, "-version").output();
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            throw new AssertionError("cannot tell the version of " + java + ": " + text);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The machine's Temurin 25 JDK's java, when one is installed under /usr/lib/jvm. */
    static Optional<String> temurin25() {
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(p -> p.getFileName().toString().startsWith("temurin-25"))
                    .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).map(Path::toString).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
