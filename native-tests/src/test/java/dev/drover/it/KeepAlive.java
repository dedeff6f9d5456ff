package dev.drover.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One keep-alive HTTP/1.1 connection: requests one after another, each answer read whole. */
final class KeepAlive implements AutoCloseable {
    private final Socket socket = new Socket();

    /** One answer: its head (status line and headers, lower-cased) and its body. */
    record Answer(String head, String body) {
        /** Whether the server closes the connection after this answer. */
        boolean closes() {
            return head.contains("\r\nconnection: close\r\n");
        }
    }

    KeepAlive(int port) {
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** {@code GET path} on this connection. */
    Answer get(String path) {
        try {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return read(socket.getInputStream());
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

    /** Reads one response's head, then its Content-Length bytes of body. */
    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII).toLowerCase();
        int at = text.indexOf("content-length:");
        int length = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
        return new Answer(text, new String(in.readNBytes(length), StandardCharsets.UTF_8));
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
