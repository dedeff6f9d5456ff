package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCopiesTest {
    private final NativeCopies.Library netty = NativeCopies.nettyEpoll("amd64").orElseThrow();

    @Test
    void copiesALibraryOnceAndDropsTheCopyOfAnEarlierJar(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        List<String> log = new ArrayList<>();
        Path v1 = jar(dir, "netty-transport-native-epoll-4.2.1.Final-linux-x86_64.jar", netty.entry(), "first");
        String classPath = dir.resolve("app.jar") + ":" + v1;
        assertEquals(Optional.empty(), NativeCopies.existing(cache, classPath, netty), "no copy yet");
        Path first = NativeCopies.copy(cache, classPath, netty, log::add).orElseThrow();
        assertEquals("first", Files.readString(first.resolve("libnetty_transport_native_epoll_x86_64.so")));
        assertEquals(Optional.of(first), NativeCopies.existing(cache, classPath, netty));
        assertEquals(Optional.of(first), NativeCopies.copy(cache, classPath, netty, log::add), "the copy is reused");

        Path v2 = jar(dir, "netty-transport-native-epoll-4.2.2.Final-linux-x86_64.jar", netty.entry(), "second");
        Path second = NativeCopies.copy(cache, v2.toString(), netty, log::add).orElseThrow();
        assertEquals("second", Files.readString(second.resolve("libnetty_transport_native_epoll_x86_64.so")));
        assertFalse(Files.exists(first), "the earlier jar's copy is gone");
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void aCopyCutShortIsNotUsedAndIsCopiedAgain(@TempDir Path dir) throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        List<String> log = new ArrayList<>();
        Path jar = jar(dir, "netty-transport-native-epoll-4.2.1.Final-linux-x86_64.jar", netty.entry(), "the whole library");
        Path library = NativeCopies.copy(cache, jar.toString(), netty, log::add).orElseThrow().resolve("libnetty_transport_native_epoll_x86_64.so");
        Files.writeString(library, "the whole");
        assertEquals(Optional.empty(), NativeCopies.existing(cache, jar.toString(), netty), "a JVM loads it from its jar instead");
        assertEquals(Optional.of(library.getParent()), NativeCopies.copy(cache, jar.toString(), netty, log::add));
        assertEquals("the whole library", Files.readString(library));
        assertEquals(List.of("warning: " + library + " was damaged (9 bytes where " + jar + " holds 17: a JVM loading it crashes); copied it again"), log);
        assertEquals(Optional.of(library.getParent()), NativeCopies.existing(cache, jar.toString(), netty));
    }

    @Test
    void findsEachLibraryInItsOwnJarOnly(@TempDir Path dir) throws IOException {
        NativeCopies.Library jffi = NativeCopies.jffi("amd64").orElseThrow();
        assertEquals("jni/x86_64-Linux/libjffi-1.2.so", jffi.entry());
        assertEquals("jni/aarch64-Linux/libjffi-1.2.so", NativeCopies.jffi("aarch64").orElseThrow().entry());
        assertEquals("META-INF/native/libnetty_transport_native_epoll_aarch_64.so", NativeCopies.nettyEpoll("aarch64").orElseThrow().entry());
        assertEquals(Optional.empty(), NativeCopies.nettyEpoll("riscv64"));
        Path other = jar(dir, "netty-transport-native-epoll-4.2.1.Final-linux-aarch_64.jar", netty.entry(), "wrong arch");
        assertEquals(Optional.empty(), NativeCopies.copy(dir, other + ":" + dir.resolve("classes"), netty, m -> { }));
        Path jffiJar = jar(dir, "jffi-1.3.15-native.jar", jffi.entry(), "stub");
        assertEquals("stub", Files.readString(NativeCopies.copy(dir, jffiJar.toString(), jffi, m -> { }).orElseThrow().resolve("libjffi-1.2.so")));
    }

    private static Path jar(Path dir, String name, String entry, String content) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
