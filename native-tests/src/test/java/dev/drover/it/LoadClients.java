package dev.drover.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Predicate;

/** The clients of {@link Load}: plain sockets, so that every byte and every close is seen. */
final class LoadClients {
    private LoadClients() {}

    /** One client; {@link #roundTrip()} throws on failure and returns true when it reconnected as asked. */
    interface Client {
        boolean roundTrip() throws IOException;

        void close();
    }

    /** An answer that arrived but is not the one expected. */
    static final class WrongAnswer extends IOException {
        WrongAnswer(String message) {
            super(message);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), Load.TIMEOUT_MS);
            socket.setSoTimeout(Load.TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket that failed
            }
        }
    }

    /** An HTTP/1.1 answer: status, whether the server closes the connection after it, body. */
    record Answer(int status, boolean close, String body) {
        static Answer read(InputStream in) throws IOException {
            String statusLine = line(in, true);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new WrongAnswer("not an HTTP answer: " + statusLine);
            }
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(in, false); !header.isEmpty(); header = line(in, false)) {
                int colon = header.indexOf(':');
                String name = header.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> close = value.contains("close");
                    default -> { }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line(in, false).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in, false).split(";")[0].trim(), 16)) {
                    body.write(exactly(in, size));
                    line(in, false);
                }
                line(in, false);
            } else if (length >= 0) {
                body.write(exactly(in, length));
            } else {
                body.write(in.readAllBytes());
                close = true;
            }
            return new Answer(Integer.parseInt(parts[1]), close, body.toString(StandardCharsets.UTF_8));
        }

        /** A CRLF-terminated line; EOF before its first byte is {@code EOFException} "closed without an answer". */
        private static String line(InputStream in, boolean first) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException(first && line.length() == 0 ? "closed without an answer" : "closed in the middle of an answer");
                }
                line.append((char) b);
            }
            int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
            return line.substring(0, end);
        }

        private static byte[] exactly(InputStream in, long n) throws IOException {
            byte[] bytes = in.readNBytes((int) n);
            if (bytes.length < n) {
                throw new EOFException("closed in the middle of an answer body");
            }
            return bytes;
        }

        void expect(Predicate<String> body) throws WrongAnswer {
            if (status != 200 || !body.test(this.body)) {
                throw new WrongAnswer("status " + status + ", body \"" + this.body + "\"");
            }
        }
    }

    private static byte[] get(boolean close) {
        return ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A request on a new connection each time, asking the server to close it. */
    static final class HttpNew implements Client {
        private final int port;
        private final Predicate<String> body;

        HttpNew(int port, Predicate<String> body) {
            this.port = port;
            this.body = body;
        }

        @Override
        public boolean roundTrip() throws IOException {
            try (Socket socket = connect(port)) {
                socket.getOutputStream().write(get(true));
                Answer.read(new BufferedInputStream(socket.getInputStream())).expect(body);
                return false;
            }
        }

        @Override
        public void close() {}
    }

    /** Requests one after another on one connection, a new one only when the server closes it after an answer. */
    static final class HttpKeepAlive implements Client {
        private final int port;
        private final Predicate<String> body;
        private Socket socket;
        private InputStream in;
        private boolean reconnecting;

        HttpKeepAlive(int port, Predicate<String> body) {
            this.port = port;
            this.body = body;
        }

        @Override
        public boolean roundTrip() throws IOException {
            boolean reconnected = reconnecting;
            reconnecting = false;
            if (socket == null) {
                socket = connect(port);
                in = new BufferedInputStream(socket.getInputStream());
            }
            socket.getOutputStream().write(get(false));
            Answer answer = Answer.read(in);
            answer.expect(body);
            if (answer.close()) {
                close();
                reconnecting = true;
            }
            return reconnected;
        }

        @Override
        public void close() {
            closeQuietly(socket);
            socket = null;
        }
    }

    /**
     * Text messages echoed by a WebSocket server, one at a time. A close frame with 1001 (going away)
     * is answered, and the message sent again on a new connection.
     */
    static final class WebSocketEcho implements Client {
        private final int port;
        private final String prefix;
        private long sequence;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        WebSocketEcho(int port, String prefix) {
            this.port = port;
            this.prefix = prefix;
        }

        @Override
        public boolean roundTrip() throws IOException {
            String message = prefix + sequence++;
            boolean reconnected = false;
            while (true) {
                if (socket == null) {
                    open();
                }
                frame(0x1, message.getBytes(StandardCharsets.UTF_8));
                String echo = readText();
                if (echo != null) {
                    if (!echo.equals(message)) {
                        throw new WrongAnswer("sent \"" + message + "\", got back \"" + echo + "\"");
                    }
                    return reconnected;
                }
                reconnected = true; // the server went away (1001) before answering: again on a new connection
            }
        }

        private void open() throws IOException {
            socket = connect(port);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            out.write(WebSocketWire.handshake(port));
            String head = headers();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new WrongAnswer("handshake answered: " + head);
            }
        }

        private String headers() throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException(head.length() == 0 ? "closed without an answer" : "closed in the middle of the handshake");
                }
                head.append((char) b);
            }
            return head.toString();
        }

        /** The next text message, or null after a 1001 close (answered, connection closed). */
        private String readText() throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int first = in.read();
                int second = in.read();
                if (first < 0 || second < 0) {
                    throw new EOFException("closed without a close frame");
                }
                long length = second & 0x7f;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | in.read();
                    }
                }
                byte[] payload = in.readNBytes((int) length);
                if (payload.length < length) {
                    throw new EOFException("closed in the middle of a frame");
                }
                int opcode = first & 0x0f;
                switch (opcode) {
                    case 0x8 -> {
                        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                        try {
                            frame(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                        } catch (IOException alreadyClosed) {
                            // the server may close right after its close frame; nothing is lost
                        }
                        close();
                        if (code != 1001) {
                            throw new WrongAnswer("closed by the server with code " + code);
                        }
                        return null;
                    }
                    case 0x9 -> frame(0xA, payload);
                    case 0xA -> { }
                    default -> {
                        message.write(payload);
                        if ((first & 0x80) != 0) {
                            return message.toString(StandardCharsets.UTF_8);
                        }
                    }
                }
            }
        }

        private void frame(int opcode, byte[] payload) throws IOException {
            out.write(WebSocketWire.masked(opcode, payload));
        }

        @Override
        public void close() {
            closeQuietly(socket);
            socket = null;
        }
    }
}
