package dev.drover.master;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Native libraries copied once out of their jars into the cache directory, so that a starting JVM
 * loads them from a file. From its jar a library is found by walking the class path (the first
 * miss opens every jar) and copied to a new temporary file (named from SecureRandom, whose
 * providers load too): ~45 ms of a worker's start for Netty's epoll library, ~70 ms of a master's
 * for jffi's stub (the OS seam's). Netty looks on {@code java.library.path} first, jffi in
 * {@code jffi.boot.library.path}. The master only reads the jars: it never loads a Netty class.
 *
 * <p>Only a class path entry named as the library's own jar is looked into; with a shaded or fat
 * jar the libraries load the slower way, as by default.
 */
final class NativeCopies {
    private NativeCopies() {}

    /**
     * One library: {@code name} prefixes its directory in the cache; its jar's file name starts
     * with {@code jarStart} and ends with {@code jarEnd}; {@code entry} is its path in the jar.
     */
    record Library(String name, String jarStart, String jarEnd, String entry) {
        String file() {
            return entry.substring(entry.lastIndexOf('/') + 1);
        }
    }

    /** Netty's epoll transport ({@code netty-transport-native-epoll-*-linux-x86_64.jar}), for {@code osArch}. */
    static Optional<Library> nettyEpoll(String osArch) {
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch_64";
            default -> null;
        };
        return Optional.ofNullable(arch).map(a -> new Library("netty-native", "netty-transport-native-epoll", "-linux-" + a + ".jar",
                "META-INF/native/libnetty_transport_native_epoll_" + a + ".so"));
    }

    /** jffi's stub ({@code jffi-*-native.jar}), for {@code osArch}. */
    static Optional<Library> jffi(String osArch) {
        String platform = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64-Linux";
            case "aarch64" -> "aarch64-Linux";
            default -> null;
        };
        return Optional.ofNullable(platform).map(p -> new Library("jffi-native", "jffi-", "-native.jar", "jni/" + p + "/libjffi-1.2.so"));
    }

    /**
     * In a starting JVM whose class path has jffi's jar: has jffi load its stub from the copy in
     * {@code cacheDirectory} (unless {@code jffi.boot.library.path} is set). A JVM that becomes a
     * master makes the copy when there is none yet (a deploy's first start), so that it does not
     * walk the class path for the stub either: that opened every jar (their central directories
     * stayed in its heap). A command only uses a copy a master made.
     */
    static void useJffiCopy(Path cacheDirectory, boolean master) {
        if (System.getProperty("jffi.boot.library.path") != null) {
            return;
        }
        String classPath = System.getProperty("java.class.path");
        jffi(System.getProperty("os.arch"))
                .flatMap(library -> existing(cacheDirectory, classPath, library)
                        .or(() -> master ? firstCopy(cacheDirectory, classPath, library) : Optional.empty()))
                .ifPresent(directory -> System.setProperty("jffi.boot.library.path", directory.toString()));
    }

    /** A master's copy of {@code library} before its log exists: quietly none if it cannot be made (its archives say why later). */
    private static Optional<Path> firstCopy(Path cacheDirectory, String classPath, Library library) {
        try {
            if (!ClassArchive.enabled() || !Files.isDirectory(cacheDirectory.getParent()) || !ClassArchive.createDirectory(cacheDirectory)) {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return copy(cacheDirectory, classPath, library, message -> { });
    }

    /** The directory of the copy of {@code library} for the jar on {@code classPath}, made now if needed; empty without one. */
    static Optional<Path> copy(Path cacheDirectory, String classPath, Library library, Consumer<String> log) {
        Optional<Path> jar = jar(classPath, library);
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path directory = directory(cacheDirectory, jar.get(), library);
            Path file = directory.resolve(library.file());
            long size = Files.isRegularFile(file) ? Files.size(file) : -1;
            try (ZipFile zip = new ZipFile(jar.get().toFile())) {
                ZipEntry entry = zip.getEntry(library.entry());
                if (entry == null) {
                    return Optional.empty(); // not in its jar: it loads however it can
                }
                if (size != entry.getSize()) {
                    extract(zip, entry, library, directory);
                    if (size >= 0) {
                        log.accept("warning: " + file + " was damaged (" + size + " bytes where " + jar.get() + " holds " + entry.getSize()
                                + ": a JVM loading it crashes); copied it again");
                    }
                }
            }
            removeOthers(cacheDirectory, library, directory);
            return Optional.of(directory);
        } catch (IOException | RuntimeException e) {
            log.accept("warning: " + library.file() + " loads from " + jar.get() + " in every JVM: cannot copy it into " + cacheDirectory
                    + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The directory of an existing, whole copy of {@code library} for the jar on {@code classPath}. */
    static Optional<Path> existing(Path cacheDirectory, String classPath, Library library) {
        try {
            Optional<Path> jar = jar(classPath, library);
            if (jar.isPresent()) {
                Path directory = directory(cacheDirectory, jar.get(), library);
                Path file = directory.resolve(library.file());
                if (Files.isRegularFile(file) && Files.size(file) == entrySize(jar.get(), library)) {
                    return Optional.of(directory);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no copy to use
        }
        return Optional.empty();
    }

    private static Optional<Path> jar(String classPath, Library library) {
        for (String entry : classPath.split(":")) {
            Path jar = Path.of(entry);
            String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
            if (name.startsWith(library.jarStart()) && name.endsWith(library.jarEnd()) && Files.isRegularFile(jar)) {
                return Optional.of(jar.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Named after the jar's path, size and time: a new version of the jar gets a copy of its own. */
    private static Path directory(Path cacheDirectory, Path jar, Library library) throws IOException {
        String version = ClassArchive.fingerprint(jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis());
        return cacheDirectory.resolve(library.name() + "-" + version);
    }

    /**
     * The size of {@code library} in {@code jar} (-1 without it): a copy of another size was cut short
     * or overwritten, and the dynamic loader crashes on it. Reading the jar's directory costs ~0.5 ms.
     */
    private static long entrySize(Path jar, Library library) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(library.entry());
            return entry == null ? -1 : entry.getSize();
        }
    }

    private static void extract(ZipFile zip, ZipEntry entry, Library library, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path temporary = directory.resolve(library.file() + "." + ProcessHandle.current().pid() + ".tmp");
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, directory.resolve(library.file()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes the copies made for earlier versions of the jar (a JVM still running from one keeps its mapping). */
    private static void removeOthers(Path cacheDirectory, Library library, Path current) throws IOException {
        try (var siblings = Files.list(cacheDirectory)) {
            for (Path old : siblings.filter(p -> p.getFileName().toString().startsWith(library.name() + "-") && !p.equals(current)).toList()) {
                try (var files = Files.list(old)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(old);
            }
        }
    }
}
