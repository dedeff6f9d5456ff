package dev.drover.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server of the test's own, on a port of its own, in memory only; {@link #restart}
 * stops it and starts it again on the same port (nothing kept). scripts/test installs redis-server.
 */
final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port = Ports.free();
    private Process process;

    RedisServer(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        start();
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    private void start() throws IOException {
        Path binary = List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server")).stream()
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("redis-server is not installed; scripts/test installs it (apt-get install redis-server)"));
        process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.out").toFile())).start();
        Await.until("redis-server answers PING on port " + port, Duration.ofSeconds(20), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited: " + output());
            }
            return "+PONG".equals(ask("PING"));
        });
    }

    /** Stops redis-server and starts it again on the same port, empty. */
    void restart() throws Exception {
        stop();
        start();
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** One inline command's answer: a status line as sent ("+PONG"), a bulk string's text, or null if redis cannot be reached. */
    String ask(String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String first = line(in);
            return first.startsWith("$") && !first.equals("$-1") ? line(in) : first;
        } catch (IOException e) {
            return null;
        }
    }

    /** The other clients connected, one CLIENT LIST row each ("id=... addr=... cmd=ping ..."). */
    List<String> clients() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("CLIENT LIST\r\n".getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String length = line(in);
            if (!length.startsWith("$")) {
                throw new IOException("CLIENT LIST answered " + length);
            }
            String rows = new String(in.readNBytes(Integer.parseInt(length.substring(1))), StandardCharsets.UTF_8);
            return rows.lines().filter(row -> !row.contains(" cmd=client")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("redis.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
