package dev.drover.internal;

import dev.drover.http.Request;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The common HTTP request, read by drover itself instead of Netty's decoder (as {@link PlainAnswer}
 * is written): GET or HEAD without a body, POST or PUT with one framed by a single Content-Length
 * (at most {@link #MAX_BODY} and maxPackageSize, not multipart), HTTP/1.1 or 1.0, and a head in the
 * strict grammar of RFC 9112 (CRLF line ends, a token right before each colon, visible ASCII in the
 * values). Everything else is left to Netty's decoder and answered as before: any other method, a
 * body framed otherwise or announced (Transfer-Encoding, Expect, Upgrade, the old WebSocket keys, a
 * Content-Length that is not one plain number), folded lines, bare LF, bytes outside visible ASCII,
 * a head without exactly one Host header (an HTTP/1.0 one may have none; refused there, by
 * {@link RequestHeadRules}), a target that is not a path (an absolute URL, checked there too),
 * leading blank lines, a head past Netty's limits. So this only takes requests that Netty reads the
 * same way ({@code PlainRequestTest} checks both side by side), and it saves a request Netty's
 * message, header map, decoder result, the aggregator's request and most of their work.
 */
final class PlainRequest {
    /** {@link #read}'s answer for a head this does not read: Netty's decoder does. */
    static final Object DECLINED = new Object();
    /**
     * The longest request line and head read here, with their line ends: a longer one (rare) goes to
     * Netty's decoder, which allows more ({@link HttpServerSide#MAX_HEADERS}) and, unlike this
     * reader, does not look at a head's first bytes again on every read that brings more of it.
     */
    private static final int MAX_INITIAL_LINE = 4 * 1024;
    private static final int MAX_HEAD = 8 * 1024;
    private static final byte[] EMPTY = new byte[0];
    private static final int GET = 'G' << 24 | 'E' << 16 | 'T' << 8 | ' ';
    private static final int HEAD = 'H' << 24 | 'E' << 16 | 'A' << 8 | 'D';
    private static final int POST = 'P' << 24 | 'O' << 16 | 'S' << 8 | 'T';
    private static final int PUT = 'P' << 24 | 'U' << 16 | 'T' << 8 | ' ';
    /** The largest body read here; a larger one goes through Netty's decoder and aggregator, as one past maxPackageSize does. */
    static final int MAX_BODY = 64 * 1024;
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (char c : "!#$%&'*+-.^_`|~0123456789".toCharArray()) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[Character.toUpperCase(c)] = true;
        }
    }

    private final Request request;
    private final boolean head;
    private final boolean keepAlive;
    private final boolean http10;

    private PlainRequest(Request request, boolean head, boolean keepAlive, boolean http10) {
        this.request = request;
        this.head = head;
        this.keepAlive = keepAlive;
        this.http10 = http10;
    }

    Request request() {
        return request;
    }

    /** A HEAD request: its answer goes out without the body. */
    boolean head() {
        return head;
    }

    /** Whether the connection stays open after the answer (HTTP/1.1 unless "close", 1.0 only with "keep-alive"). */
    boolean keepAlive() {
        return keepAlive;
    }

    /** An HTTP/1.0 request (1.1 otherwise). */
    boolean http10() {
        return http10;
    }

    /**
     * The request at {@code in}'s reader index, which then moves past its head and body; {@link #DECLINED}
     * for one Netty's decoder must read (a body past {@code maxBody} too); null while the head or
     * its body is not all there yet.
     */
    static Object read(ByteBuf in, int maxBody) {
        int start = in.readerIndex();
        if (in.readableBytes() >= 5 && !methodReadHere(in, start)) {
            return DECLINED; // another method, or blank lines first: not worth waiting for the whole head
        }
        int headEnd = headEnd(in, start, Math.min(in.writerIndex(), start + MAX_HEAD));
        if (headEnd < 0) {
            return headEnd == -1 && in.readableBytes() < MAX_HEAD ? null : DECLINED;
        }
        byte[] head = new byte[headEnd - start];
        in.getBytes(start, head);
        return parse(head, in, Math.min(maxBody, MAX_BODY));
    }

    /** Whether the five bytes at {@code start} begin a method read here: "GET ", "HEAD ", "POST" or "PUT " (the parse checks the rest). */
    private static boolean methodReadHere(ByteBuf in, int start) {
        int first = in.getInt(start);
        return first == GET || first == POST || first == PUT || first == HEAD && in.getByte(start + 4) == ' ';
    }

    /** Where the head ends (past its blank line); -1 when not found before {@code limit}, -2 when its lines do not end in CRLF. */
    private static int headEnd(ByteBuf in, int start, int limit) {
        int lineStart = start;
        while (true) {
            int lf = in.indexOf(lineStart, limit, (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            if (lf == lineStart || in.getByte(lf - 1) != '\r') {
                return -2;
            }
            if (lf - 1 == lineStart) {
                return lineStart == start ? -2 : lf + 1;
            }
            lineStart = lf + 1;
        }
    }

    /**
     * The request in {@code head} (every line ends in CRLF, the last one is blank) and its body from
     * {@code in}, which then moves past both; {@link #DECLINED} when Netty must read it, null while
     * a body of at most {@code maxBody} bytes is not all there yet.
     */
    private static Object parse(byte[] head, ByteBuf in, int maxBody) {
        int i;
        String method;
        if (startsWith(head, 0, "GET ")) {
            method = "GET";
            i = 4;
        } else if (startsWith(head, 0, "HEAD ")) {
            method = "HEAD";
            i = 5;
        } else if (startsWith(head, 0, "POST ")) {
            method = "POST";
            i = 5;
        } else if (startsWith(head, 0, "PUT ")) {
            method = "PUT";
            i = 4;
        } else {
            return DECLINED;
        }
        int uriStart = i;
        while (head[i] > 0x20 && head[i] < 0x7f) {
            i++;
        }
        int uriEnd = i;
        if (uriEnd == uriStart || head[uriStart] != '/' || head[i] != ' ' || i + 11 > head.length || !startsWith(head, i + 1, "HTTP/1.")
                || head[i + 9] != '\r' || head[i + 10] != '\n') {
            return DECLINED;
        }
        byte minor = head[i + 8];
        if (minor != '0' && minor != '1') {
            return DECLINED;
        }
        i += 11;
        if (i > MAX_INITIAL_LINE) {
            return DECLINED;
        }
        int headersStart = i;
        boolean close = false;
        boolean keepAliveAsked = false;
        boolean length = false;
        int bodyLength = 0;
        int hosts = 0;
        while (head[i] != '\r') {
            int nameStart = i;
            while (TOKEN[head[i] & 0xff]) {
                i++;
            }
            int nameEnd = i;
            if (nameEnd == nameStart || head[i] != ':') {
                return DECLINED;
            }
            i++;
            while (head[i] == ' ' || head[i] == '\t') {
                i++;
            }
            int valueStart = i;
            while (head[i] != '\r') {
                byte b = head[i];
                if ((b < 0x20 || b > 0x7e) && b != '\t') {
                    return DECLINED;
                }
                i++;
            }
            int valueEnd = trimEnd(head, valueStart, i);
            if (head[i + 1] != '\n') {
                return DECLINED;
            }
            i += 2;
            switch (special(head, nameStart, nameEnd)) {
                case LENGTH -> {
                    bodyLength = length ? -1 : digits(head, valueStart, valueEnd);
                    if (bodyLength < 0 || bodyLength > 0 && (method.equals("GET") || method.equals("HEAD"))) {
                        return DECLINED; // two lengths, or not a number; or a body where none is expected
                    }
                    length = true;
                }
                case MULTIPART -> {
                    if (startsWithIgnoreCase(head, valueStart, valueEnd, "multipart/")) {
                        return DECLINED; // its parts are Netty's to read
                    }
                }
                case BODY -> {
                    return DECLINED;
                }
                case CONNECTION -> {
                    close |= hasToken(head, valueStart, valueEnd, "close");
                    keepAliveAsked |= hasToken(head, valueStart, valueEnd, "keep-alive");
                }
                case HOST -> {
                    if (!RequestHeadRules.validHost(head, valueStart, valueEnd)) {
                        return DECLINED; // refused on Netty's path (RequestHeadRules)
                    }
                    hosts++;
                }
                case NONE -> { }
            }
        }
        if (hosts > 1 || hosts == 0 && minor == '1') {
            return DECLINED; // refused on Netty's path (RequestHeadRules)
        }
        if (head[i + 1] != '\n' || i + 2 != head.length) {
            return DECLINED;
        }
        if (bodyLength > maxBody) {
            return DECLINED; // the aggregator's to refuse, or to take in parts
        }
        byte[] body = body(in, head.length, bodyLength);
        if (body == null) {
            return null;
        }
        String uri = new String(head, uriStart, uriEnd - uriStart, StandardCharsets.ISO_8859_1);
        boolean keepAlive = !close && (minor == '1' || keepAliveAsked);
        return new PlainRequest(new Request(method, uri, new Headers(head, headersStart), body), method.equals("HEAD"), keepAlive, minor == '0');
    }

    /** The {@code length} bytes past the head's {@code headLength} in {@code in}, which then moves past both; null while they are not all there. */
    private static byte[] body(ByteBuf in, int headLength, int length) {
        int start = in.readerIndex() + headLength;
        if (in.writerIndex() - start < length) {
            return null;
        }
        byte[] body = EMPTY;
        if (length > 0) {
            body = new byte[length];
            in.getBytes(start, body);
        }
        in.readerIndex(start + length);
        return body;
    }

    /** The decimal number in {@code head[start, end)}: 1 to 9 digits, nothing else (no sign, no list); -1 otherwise. */
    private static int digits(byte[] head, int start, int end) {
        if (end == start || end - start > 9) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            if (head[i] < '0' || head[i] > '9') {
                return -1;
            }
            value = value * 10 + head[i] - '0';
        }
        return value;
    }

    private static boolean startsWithIgnoreCase(byte[] head, int start, int end, String prefix) {
        return end - start >= prefix.length() && equalsIgnoreCase(head, start, prefix);
    }

    private enum Special { NONE, LENGTH, CONNECTION, MULTIPART, BODY, HOST }

    /** What a header name means here: a length, connection options, the sign of a body or an upgrade, the host, or nothing. */
    private static Special special(byte[] head, int start, int end) {
        return switch (end - start) {
            case 14 -> equalsIgnoreCase(head, start, "content-length") ? Special.LENGTH : Special.NONE;
            case 10 -> equalsIgnoreCase(head, start, "connection") ? Special.CONNECTION : Special.NONE;
            case 12 -> equalsIgnoreCase(head, start, "content-type") ? Special.MULTIPART : Special.NONE;
            case 17 -> equalsIgnoreCase(head, start, "transfer-encoding") ? Special.BODY : Special.NONE;
            case 6 -> equalsIgnoreCase(head, start, "expect") ? Special.BODY : Special.NONE;
            case 4 -> equalsIgnoreCase(head, start, "host") ? Special.HOST : Special.NONE;
            case 7 -> equalsIgnoreCase(head, start, "upgrade") ? Special.BODY : Special.NONE;
            // Netty reads 8 bytes of body after a GET with both (the WebSocket draft of 2010).
            case 18 -> equalsIgnoreCase(head, start, "sec-websocket-key1") || equalsIgnoreCase(head, start, "sec-websocket-key2")
                    ? Special.BODY : Special.NONE;
            default -> Special.NONE;
        };
    }

    /** Whether the comma-separated list in {@code head[start, end)} holds {@code token} (any case, spaces around it). */
    private static boolean hasToken(byte[] head, int start, int end, String token) {
        int at = start;
        while (at <= end) {
            int comma = at;
            while (comma < end && head[comma] != ',') {
                comma++;
            }
            int from = at;
            while (from < comma && (head[from] == ' ' || head[from] == '\t')) {
                from++;
            }
            int to = trimEnd(head, from, comma);
            if (to - from == token.length() && equalsIgnoreCase(head, from, token)) {
                return true;
            }
            at = comma + 1;
        }
        return false;
    }

    private static int trimEnd(byte[] head, int start, int end) {
        while (end > start && (head[end - 1] == ' ' || head[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    private static boolean startsWith(byte[] head, int at, String prefix) {
        if (at + prefix.length() > head.length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (head[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code head} holds {@code lower} (lower-case ASCII) at {@code at}, in any case. */
    private static boolean equalsIgnoreCase(byte[] head, int at, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            int b = head[at + k];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The request's headers as {@link Request} shows them (lower-case names, values trimmed, in
     * order), read from the head's bytes the first time they are asked for: most requests never are.
     */
    static final class Headers extends AbstractMap<String, List<String>> {
        private final byte[] head;
        private final int start;
        private Map<String, List<String>> all;

        Headers(byte[] head, int start) {
            this.head = head;
            this.start = start;
        }

        @Override
        public List<String> get(Object name) {
            return name instanceof String text ? all().get(text.toLowerCase(Locale.ROOT)) : null;
        }

        @Override
        public boolean containsKey(Object name) {
            return get(name) != null;
        }

        @Override
        public Set<Entry<String, List<String>>> entrySet() {
            return all().entrySet();
        }

        private Map<String, List<String>> all() {
            if (all == null) {
                Map<String, List<String>> built = new LinkedHashMap<>();
                for (int i = start; head[i] != '\r'; ) {
                    int colon = i;
                    while (head[colon] != ':') {
                        colon++;
                    }
                    int valueStart = colon + 1;
                    while (head[valueStart] == ' ' || head[valueStart] == '\t') {
                        valueStart++;
                    }
                    int lineEnd = valueStart;
                    while (head[lineEnd] != '\r') {
                        lineEnd++;
                    }
                    String name = new String(head, i, colon - i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                    String value = new String(head, valueStart, trimEnd(head, valueStart, lineEnd) - valueStart, StandardCharsets.ISO_8859_1);
                    built.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                    i = lineEnd + 2;
                }
                all = built;
            }
            return all;
        }
    }
}
