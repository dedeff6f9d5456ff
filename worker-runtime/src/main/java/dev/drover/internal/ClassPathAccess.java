package dev.drover.internal;

import dev.drover.master.Environment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why a class was not found in a worker that switched to {@code setUser}'s user: a class directory
 * (jars are opened before the switch) that this user may not search or read. Java says only
 * {@code ClassNotFoundException}; the operator needs the path and the permission.
 */
final class ClassPathAccess {
    private ClassPathAccess() {}

    /** "; user 'www' (setUser) cannot read ...: ..." when a class missing in {@code error} is hidden by a permission, else "". */
    static String hint(Throwable error) {
        String user = System.getenv(Environment.USER);
        String group = System.getenv(Environment.USER_GROUP);
        if (user == null && group == null) {
            return "";
        }
        try {
            return missingClass(error).flatMap(ClassPathAccess::hidden)
                    .map(path -> "; " + (user != null ? "user '" + user + "' (setUser)" : "group '" + group + "' (setGroup)")
                            + " cannot " + (path.toString().endsWith(".class") ? "read " : "search ") + path
                            + ": class directories are read after the switch, so make them readable by that user (chmod -R a+rX), or deploy a jar")
                    .orElse("");
        } catch (RuntimeException unseen) { // the worker is ending: its error is told without the hint
            return "";
        }
    }

    /** The binary name of the class {@code error}, or one of its causes, did not find. */
    private static Optional<String> missingClass(Throwable error) {
        for (Throwable at = error; at != null; at = at.getCause()) {
            if ((at instanceof ClassNotFoundException || at instanceof NoClassDefFoundError) && at.getMessage() != null) {
                return Optional.of(at.getMessage().replace('/', '.'));
            }
        }
        return Optional.empty();
    }

    /** The first directory or file on the way to {@code className} in a class directory that this process may not pass or read. */
    private static Optional<Path> hidden(String className) {
        String[] parts = className.split("\\.");
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Optional<Path> found = hiddenIn(Path.of(entry), parts);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Walks from the file system's root through {@code entry} to the class file: every directory on
     * the way must let this process pass, and the class file must let it read.
     */
    private static Optional<Path> hiddenIn(Path entry, String[] parts) {
        if (entry.toString().isEmpty()) {
            return Optional.empty();
        }
        Path absolute = entry.toAbsolutePath().normalize();
        List<String> names = new ArrayList<>();
        absolute.forEach(name -> names.add(name.toString()));
        names.addAll(Arrays.asList(parts));
        names.set(names.size() - 1, parts[parts.length - 1] + ".class");
        Path at = absolute.getRoot();
        for (int i = 0; i < names.size(); i++) {
            if (!Files.isDirectory(at)) {
                return Optional.empty(); // a jar: opened before the switch
            }
            if (!Files.isExecutable(at)) {
                return Optional.of(at);
            }
            at = at.resolve(names.get(i));
            if (!Files.exists(at)) {
                return Optional.empty(); // the class is not in this entry, or the entry is not there
            }
        }
        return Files.isReadable(at) ? Optional.empty() : Optional.of(at);
    }
}
