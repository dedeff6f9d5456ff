package dev.drover.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        try {
            Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher m = VERSION.matcher(text);
            if (!m.find()) {
                throw new AssertionError("cannot tell the version of " + java + ": " + text);
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + java + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
