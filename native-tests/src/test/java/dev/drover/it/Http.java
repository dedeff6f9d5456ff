package dev.drover.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A deliberately plain HTTP/1.1 client: one request per new connection, whole answer read. */
final class Http {
    private Http() {}

    /** The body of {@code GET path}, on a new connection that the server is asked to close. */
    static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(30_000); // slow requests in the tests take up to 10 s
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected answer: " + response);
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    /** The whole answer, head and body, to {@code GET path} with {@code headers} (each "Name: value"), on a new connection. */
    static String answer(int port, String path, String... headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Like {@link #get} but null instead of an exception (for polling). */
    static String tryGet(int port, String path) {
        try {
            return get(port, path);
        } catch (IOException e) {
            return null;
        }
    }
}
