package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A WebSocket client's bytes on the wire (RFC 6455), for tests that speak it over a plain socket. */
final class WebSocketWire {
    private WebSocketWire() {}

    /** A version 13 handshake for {@code port} with a random key. */
    static byte[] handshake(int port) {
        return handshake(port, "/");
    }

    /** The same for {@code path}. */
    static byte[] handshake(int port, String path) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A whole masked client frame of {@code opcode} (payloads under 64 KiB). */
    static byte[] masked(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** A close frame's payload: {@code code} and {@code reason}. */
    static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    /** A server's frame as read: its opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        /** A close frame's status code (1005 when it has none). */
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
        }

        @Override
        public String toString() {
            return opcode == 0x8 ? "close " + closeCode() : opcode + ":" + new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The unmasked server frames in {@code bytes}, whole ones only (payloads under 2 GiB). */
    static List<Frame> frames(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        int at = 0;
        while (at + 2 <= bytes.length) {
            int length = bytes[at + 1] & 0x7f;
            int header = 2;
            if (length == 126) {
                if (at + 4 > bytes.length) {
                    break;
                }
                length = (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
                header = 4;
            } else if (length == 127) {
                if (at + 10 > bytes.length) {
                    break;
                }
                length = (int) java.nio.ByteBuffer.wrap(bytes, at + 2, 8).getLong();
                header = 10;
            }
            if (at + header + length > bytes.length) {
                break;
            }
            frames.add(new Frame(bytes[at] & 0x0f, Arrays.copyOfRange(bytes, at + header, at + header + length)));
            at += header + length;
        }
        return frames;
    }

    /** A handshaken connection to {@code port}, its 101 head read. */
    static Socket open(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(handshake(port));
        String head = head(socket.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return socket;
    }

    /** The answer's head the server writes to a handshake, its blank line included, read byte by byte (frames may follow). */
    static String head(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "closed during the handshake: " + head);
            head.append((char) b);
        }
        return head.toString();
    }

    /** The frames the server wrote until it closed the connection. */
    static List<Frame> rest(Socket socket) throws Exception {
        return frames(socket.getInputStream().readAllBytes());
    }

    /** The next frame the server writes (payloads under 64 KiB). */
    static Frame next(InputStream in) throws Exception {
        byte[] head = in.readNBytes(2);
        assertTrue(head.length == 2, "the server closed before a frame");
        int length = head[1] & 0x7f;
        if (length == 126) {
            byte[] extended = in.readNBytes(2);
            length = (extended[0] & 0xff) << 8 | extended[1] & 0xff;
        }
        byte[] payload = in.readNBytes(length);
        assertTrue(payload.length == length, "the server closed within a frame");
        return new Frame(head[0] & 0x0f, payload);
    }
}
