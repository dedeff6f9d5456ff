package dev.drover.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one line to a text:// server on a new connection and reads one line back. */
final class TextClient {
    private TextClient() {}

    static String ask(int port, String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(15_000); // the multi-process push demo answers "fail" after its acknowledgement timeout
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    /** Sends every line at once on one new connection, then reads as many answers. */
    static java.util.List<String> askAll(int port, java.util.List<String> lines) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            java.util.List<String> answers = new java.util.ArrayList<>();
            while (answers.size() < lines.size()) {
                String answer = in.readLine();
                if (answer == null) {
                    throw new IOException("the server closed after " + answers.size() + " of " + lines.size() + " answers");
                }
                answers.add(answer);
            }
            return answers;
        }
    }

    /** Like {@link #ask}, with the failure as the answer (for polling). */
    static String tryAsk(int port, String line) {
        try {
            return ask(port, line);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
