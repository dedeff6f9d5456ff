package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NettyNativeTest {
    private final String arch = NettyNative.nettyArch(System.getProperty("os.arch")).orElseThrow();
    private final String library = "libnetty_transport_native_epoll_" + arch + ".so";

    @Test
    void copiesTheLibraryOnceAndDropsTheCopyOfAnEarlierJar(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        List<String> log = new ArrayList<>();
        Path v1 = jar(dir, "4.2.1", "first");
        Path first = NettyNative.directory(cache, dir.resolve("app.jar") + ":" + v1, log::add).orElseThrow();
        assertEquals("first", Files.readString(first.resolve(library)));
        assertEquals(Optional.of(first), NettyNative.directory(cache, v1.toString(), log::add), "the copy is reused");

        Path v2 = jar(dir, "4.2.2", "second");
        Path second = NettyNative.directory(cache, v2.toString(), log::add).orElseThrow();
        assertEquals("second", Files.readString(second.resolve(library)));
        assertFalse(Files.exists(first), "the earlier jar's copy is gone");
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void nothingWithoutNettysNativeJar(@TempDir Path dir) {
        assertEquals(Optional.empty(), NettyNative.directory(dir, dir.resolve("app.jar") + ":" + dir.resolve("classes"), m -> { }));
        assertEquals(Optional.empty(), NettyNative.nettyArch("riscv64"));
        assertEquals(Optional.of("aarch_64"), NettyNative.nettyArch("aarch64"));
    }

    private Path jar(Path dir, String version, String content) throws IOException {
        Path jar = dir.resolve("netty-transport-native-epoll-" + version + ".Final-linux-" + arch + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/native/" + library));
            zip.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
