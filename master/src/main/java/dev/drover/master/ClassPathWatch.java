package dev.drover.master;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code start --watch}: notices that a class-path entry (a jar, or a file under a class
 * directory) changed, once the change has settled for one check.
 */
final class ClassPathWatch {
    private final List<Path> entries = new ArrayList<>();
    private String seen;
    private String changedTo;

    ClassPathWatch(String classPath) {
        for (String entry : classPath.split(":")) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry));
            }
        }
        seen = fingerprint();
    }

    /** Checks the class path; true once per settled change. */
    boolean changed() {
        String now = fingerprint();
        if (now.equals(seen)) {
            changedTo = null;
            return false;
        }
        if (!now.equals(changedTo)) {
            changedTo = now; // still changing: look again next time
            return false;
        }
        seen = now;
        changedTo = null;
        return true;
    }

    private String fingerprint() {
        StringBuilder print = new StringBuilder();
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    files.filter(Files::isRegularFile).sorted().forEach(f -> print.append(stamp(f)));
                } catch (IOException | UncheckedIOException changing) {
                    print.append(entry).append(":?;");
                }
            } else {
                print.append(stamp(entry));
            }
        }
        return print.toString();
    }

    private static String stamp(Path file) {
        try {
            return file + ":" + Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file) + ";";
        } catch (IOException gone) {
            return file + ":-;";
        }
    }
}
