package dev.drover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One keep-alive HTTP/1.1 connection: requests one after another, each answer read whole. */
final class KeepAlive implements AutoCloseable {
    private final Socket socket = new Socket();

    KeepAlive(int port) {
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** {@code GET path} on this connection: its answer, read whole. */
    LoadClients.Answer get(String path) {
        try {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return LoadClients.Answer.read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to GET " + path + " on " + socket, e);
        }
    }

    /** Whether the server closes this connection (end of stream) within 30 s, reading nothing else. */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
