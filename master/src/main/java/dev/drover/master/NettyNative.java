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
 * Netty's epoll library for the workers, copied once out of its jar into the cache directory and
 * put on their {@code java.library.path}. Netty tries that path first; from the jar it walks the
 * class path to find the library and copies it to a new temporary file in every worker, some
 * 30 ms of each start. The master only reads the jar: it never loads a Netty class.
 *
 * <p>Only a class path entry named like Netty's own native jar
 * ({@code netty-transport-native-epoll-*-linux-x86_64.jar}) is looked into; with a shaded or fat
 * jar, workers load the library the slower way, as Netty does by default.
 */
final class NettyNative {
    private NettyNative() {}

    /**
     * The directory holding the library for the jar on {@code classPath}, extracted into
     * {@code cacheDirectory} if it was not yet; empty when there is no such jar or it cannot be
     * extracted (said through {@code log}).
     */
    static Optional<Path> directory(Path cacheDirectory, String classPath, Consumer<String> log) {
        Optional<String> arch = nettyArch(System.getProperty("os.arch"));
        if (arch.isEmpty()) {
            return Optional.empty();
        }
        String library = "libnetty_transport_native_epoll_" + arch.get() + ".so";
        for (String entry : classPath.split(":")) {
            Path jar = Path.of(entry);
            String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
            if (name.startsWith("netty-transport-native-epoll") && name.endsWith("-linux-" + arch.get() + ".jar")
                    && Files.isRegularFile(jar)) {
                return extract(jar, "META-INF/native/" + library, cacheDirectory, library, log);
            }
        }
        return Optional.empty();
    }

    /** Deletes the copies made for earlier Netty jars (a worker still running from one keeps its mapping). */
    private static void removeOthers(Path cacheDirectory, Path current) throws IOException {
        try (var siblings = Files.list(cacheDirectory)) {
            for (Path old : siblings.filter(p -> p.getFileName().toString().startsWith("netty-native-") && !p.equals(current)).toList()) {
                try (var files = Files.list(old)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(old);
            }
        }
    }

    /** Netty's name for the processor ({@code PlatformDependent.normalizedArch}), for the two drover runs on. */
    static Optional<String> nettyArch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> Optional.of("x86_64");
            case "aarch64" -> Optional.of("aarch_64");
            default -> Optional.empty();
        };
    }

    private static Optional<Path> extract(Path jar, String entryName, Path cacheDirectory, String library, Consumer<String> log) {
        try {
            String version = ClassArchive.fingerprint(jar.toAbsolutePath() + " " + Files.size(jar) + " "
                    + Files.getLastModifiedTime(jar).toMillis());
            Path directory = cacheDirectory.resolve("netty-native-" + version);
            Path target = directory.resolve(library);
            if (Files.isRegularFile(target)) {
                return Optional.of(directory);
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(entryName);
                if (entry == null) {
                    return Optional.empty();
                }
                Files.createDirectories(directory);
                Path temporary = directory.resolve(library + "." + ProcessHandle.current().pid() + ".tmp"); // no SecureRandom to start
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            removeOthers(cacheDirectory, directory);
            return Optional.of(directory);
        } catch (IOException | RuntimeException e) {
            log.accept("warning: workers load Netty's epoll library from " + jar + " each: cannot copy it into " + cacheDirectory
                    + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
