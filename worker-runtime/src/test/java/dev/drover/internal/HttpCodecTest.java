package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.Connection;
import dev.drover.http.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** http on Netty's EmbeddedChannel: pipelined requests split byte by byte and coalesced. */
class HttpCodecTest {
    private static final String TWO_REQUESTS = "GET /a?x=1&y=two%20words HTTP/1.1\r\nHost: h\r\nCookie: k=v\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nname=jo";

    /** An {@code http://} connection's handlers, as a worker installs them, with flushes batched on the channel's own loop. */
    static EmbeddedChannel channel(int max) {
        EmbeddedChannel channel = new EmbeddedChannel();
        Connection connection = StubConnection.withMaxPackageSize(max);
        channel.pipeline().addLast(HttpCodec.INSTANCE.traffic(new FlushBatch(channel.eventLoop()), connection));
        HttpCodec.INSTANCE.install(channel.pipeline(), connection);
        return channel;
    }

    private static List<Request> requests(EmbeddedChannel channel) {
        List<Request> out = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            out.add((Request) HttpCodec.INSTANCE.decode(message, null)); // read by drover (PlainRequest) or by Netty
            ReferenceCountUtil.release(message);
        }
        return out;
    }

    private static void check(List<Request> requests) {
        assertEquals(2, requests.size());
        Request get = requests.get(0);
        assertEquals("GET", get.method());
        assertEquals("/a", get.path());
        assertEquals("two words", get.query("y").orElseThrow());
        assertEquals("k=v", get.header("COOKIE").orElseThrow());
        Request post = requests.get(1);
        assertEquals("POST", post.method());
        assertEquals("name=jo", post.body());
    }

    @Test
    void headersListedInLowerCaseAndChunkedBodiesAggregated() {
        EmbeddedChannel channel = channel(1024);
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: h\r\nX-Twice: 1\r\nX-Twice: 2\r\n\r\n"
                + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                + "DELETE /d HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
        List<Request> all = requests(channel);
        assertEquals(3, all.size());
        assertEquals(List.of("host", "x-twice"), new ArrayList<>(all.get(0).headers().keySet()));
        assertEquals(List.of("1", "2"), all.get(0).headers().get("x-twice"));
        assertEquals("abcde", all.get(1).body());
        assertEquals("DELETE", all.get(2).method());
        assertEquals("", all.get(2).body());
    }

    @Test
    void pipelinedRequestsByteByByte() {
        EmbeddedChannel channel = channel(1024);
        List<Request> all = new ArrayList<>();
        for (byte b : TWO_REQUESTS.getBytes(StandardCharsets.US_ASCII)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            all.addAll(requests(channel));
        }
        check(all);
    }

    @Test
    void pipelinedRequestsCoalesced() {
        EmbeddedChannel channel = channel(1024);
        channel.writeInbound(Unpooled.wrappedBuffer(TWO_REQUESTS.getBytes(StandardCharsets.US_ASCII)));
        check(requests(channel));
    }

    @Test
    void aBodyOverMaxPackageSizeGets413() {
        EmbeddedChannel channel = channel(4);
        channel.writeInbound(Unpooled.wrappedBuffer("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"
                .getBytes(StandardCharsets.US_ASCII)));
        ByteBuf out = channel.readOutbound();
        assertTrue(out.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 413"), out.toString(StandardCharsets.US_ASCII));
        out.release();
    }

    @Test
    void aMalformedRequestLineIsFlagged() {
        EmbeddedChannel channel = channel(1024);
        channel.writeInbound(Unpooled.wrappedBuffer("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        FullHttpRequest request = channel.readInbound();
        assertFalse(request.decoderResult().isSuccess());
        request.release();
    }

    /** What a request the decoder refused is answered with, by what it found: RFC 9112 3 and RFC 6585 5's statuses for the limits. */
    @Test
    void tooLongALineGets414AndTooLargeAHeader431() {
        String[][] cases = {
            {"GET /" + "a".repeat(16 * 1024) + " HTTP/1.1\r\nHost: h\r\n\r\n", "414"},
            {"GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(16 * 1024) + "\r\n\r\n", "431"},
            {"GET / HTTP/1.1\r\nHost: h\r\nCookie: " + "c".repeat(6000) + "\r\nX-Two: " + "d".repeat(6000) + "\r\nX-Three: "
                    + "e".repeat(6000) + "\r\n\r\n", "431"},
            {"GARBAGE\r\n\r\n", "400"},
        };
        for (String[] c : cases) {
            io.netty.handler.codec.http.FullHttpResponse answer = answerToRefused(c[0]);
            assertEquals(c[1], Integer.toString(answer.status().code()), c[0].substring(0, Math.min(20, c[0].length())));
            assertEquals("close", answer.headers().get("connection"));
            answer.release();
        }
    }

    /** connections' Recv-Q: a head not all here yet, a body read in part, by drover's reader and by Netty's. */
    @Test
    void theBytesOfARequestNotWholeYetAreHeld() {
        EmbeddedChannel channel = channel(1024 * 1024);
        Traffic traffic = channel.pipeline().get(HttpServerSide.class);
        String head = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n";
        channel.writeInbound(Unpooled.copiedBuffer(head + "x".repeat(40), StandardCharsets.US_ASCII));
        assertEquals(head.length() + 40, traffic.held(), "drover's reader waits for the whole request");
        channel.writeInbound(Unpooled.copiedBuffer("x".repeat(60), StandardCharsets.US_ASCII));
        assertEquals(1, requests(channel).size());
        assertEquals(0, traffic.held());
        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n" + "y".repeat(70_000),
                StandardCharsets.US_ASCII));
        assertEquals(70_000, traffic.held(), "a body past drover's reader, in Netty's aggregator");
        channel.writeInbound(Unpooled.copiedBuffer("y".repeat(30_000), StandardCharsets.US_ASCII));
        assertEquals(100_000, requests(channel).get(0).bodyBytes().length);
        assertEquals(0, traffic.held());

        EmbeddedChannel small = channel(8);
        Traffic smallTraffic = small.pipeline().get(HttpServerSide.class);
        small.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n",
                StandardCharsets.US_ASCII));
        assertEquals(5, smallTraffic.held());
        small.writeInbound(Unpooled.copiedBuffer("5\r\nfghij\r\n", StandardCharsets.US_ASCII));
        assertEquals(0, smallTraffic.held(), "a body over maxPackageSize is answered 413 and dropped");
    }

    /** Heads Workerman takes (it reads 16 KiB): a long query string, a site's many cookies, each within its bound. */
    @Test
    void aLongTargetAndLargeHeadersAreRead() {
        String query = "q=" + "a".repeat(16 * 1024 - 30);
        Request search = onlyRequest("GET /search?" + query + " HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(query, search.queryString());
        String cookie = "c".repeat(8500);
        Request cookies = onlyRequest("GET / HTTP/1.1\r\nHost: h\r\nCookie: " + cookie + "\r\nX-Other: " + "d".repeat(4100)
                + "\r\nX-Third: " + "e".repeat(3000) + "\r\n\r\n");
        assertEquals(cookie, cookies.header("cookie").orElseThrow());
    }

    private static Request onlyRequest(String wire) {
        EmbeddedChannel channel = channel(1024);
        channel.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
        List<Request> read = requests(channel);
        assertEquals(1, read.size());
        return read.get(0);
    }

    private static EmbeddedChannel feed(String wire) {
        EmbeddedChannel channel = channel(1024);
        channel.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
        return channel;
    }

    /** The answer to {@code wire}'s first request, which the reader must refuse, reading nothing after it. */
    private static io.netty.handler.codec.http.FullHttpResponse answerToRefused(String wire) {
        EmbeddedChannel channel = channel(1024);
        channel.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
        FullHttpRequest refused = channel.readInbound();
        assertFalse(refused.decoderResult().isSuccess(), wire);
        assertNull(channel.readInbound(), "nothing after it is read: " + wire);
        try {
            return HttpCodec.badRequest(refused.decoderResult().cause());
        } finally {
            refused.release();
        }
    }

    /** RFC 9112 3.2's Host and 2.6's major version, whichever reader took the head: refused, and nothing after it read. */
    @Test
    void noHostInHttp11TwoHostsOrAnotherMajorVersionAreRefused() {
        String[][] cases = {
            {"GET / HTTP/1.1\r\n\r\n", "400", "an HTTP/1.1 request needs a Host header"},
            {"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", "400", "a request has one Host header, not 2"},
            {"GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", "400", "a request has one Host header, not 2"},
            {"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab", "400", "an HTTP/1.1 request needs a Host header"},
            {"GET / HTTP/2.0\r\nHost: h\r\n\r\n", "505", "HTTP/2.0 is not spoken here: HTTP/1.1 is"},
            {"GET / HTTP/0.9\r\nHost: h\r\n\r\n", "505", "HTTP/0.9 is not spoken here: HTTP/1.1 is"},
            {"GET / HTTP/1.1\r\nHost: x, y\r\n\r\n", "400", "a Host header is a host name or address and a port, not 'x, y'"},
            {"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "400", "a Host header is a host name or address and a port, not 'a b'"},
            {"GET / HTTP/1.1\r\nHost: x/y\r\n\r\n", "400", "a Host header is a host name or address and a port, not 'x/y'"},
            {"GET / HTTP/1.1\r\nHost: u@evil.com\r\n\r\n", "400", "a Host header is a host name or address and a port, not 'u@evil.com'"},
            {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "501",
                "the transfer coding 'identity, chunked' is not one drover reads: send chunked alone, or a Content-Length"},
            {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "501",
                "the transfer coding 'gzip, chunked' is not one drover reads: send chunked alone, or a Content-Length"},
            {"GET / HTTP/1.1\r\nHost: ..\r\n\r\n", "400", "a Host header is a host name or address and a port, not '..'"},
            {"GET / HTTP/1.1\r\nHost: a..b\r\n\r\n", "400", "a Host header is a host name or address and a port, not 'a..b'"},
            {"GET x?u=http://evil.example/ HTTP/1.1\r\nHost: h\r\n\r\n", "400",
                "a request target is a path (/...) or an http:// URL with a host, not 'x?u=http://evil.example/'"},
            {"GET http://ev\"il<>/p HTTP/1.1\r\nHost: good.example\r\n\r\n", "400",
                "a request target is a path (/...) or an http:// URL with a host, not 'http://ev\"il<>/p'"},
            {"GET http://evil.example\\@x/ HTTP/1.1\r\nHost: h\r\n\r\n", "400",
                "a request target is a path (/...) or an http:// URL with a host, not 'http://evil.example\\@x/'"},
            {"GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", "400", "a request target is a path (/...) or an http:// URL with a host, not 'ftp://h/'"},
            {"GET http://good.example#@evil.example/ HTTP/1.1\r\nHost: good.example\r\n\r\n", "400",
                "a request target is a path (/...) or an http:// URL with a host, not 'http://good.example#@evil.example/'"},
            {"GET * HTTP/1.1\r\nHost: h\r\n\r\n", "400", "a request target is a path (/...) or an http:// URL with a host, not '*'"},
            {"GET /a\u0001b HTTP/1.1\r\nHost: h\r\n\r\n", "400", "a request target has no control characters: /a?b"},
            {"POST /a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc", "400",
                "a request has one Content-Length of one value"},
            {"POST /a HTTP/1.0\r\nContent-Length: 3, 3\r\n\r\nabc", "400", "a request has one Content-Length of one value"},
        };
        for (String[] c : cases) {
            io.netty.handler.codec.http.FullHttpResponse answer = answerToRefused(c[0] + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(c[1], Integer.toString(answer.status().code()), c[0]);
            assertTrue(answer.content().toString(StandardCharsets.UTF_8).endsWith(": " + c[2] + "\n"), answer.content().toString(StandardCharsets.UTF_8));
            answer.release();
        }
        for (String target : new String[] {"http://example.com/p?q", "HTTPS://[::1]:8443", "OPTIONS *", "CONNECT example.com:443"}) {
            String line = target.contains(" ") ? target : "GET " + target;
            assertEquals(1, requests(feed(line + " HTTP/1.1\r\nHost: h\r\n\r\n")).size(), "taken: '" + target + "'");
        }
        for (String host : new String[] {"example.com:8080", "[::1]:80", "127.0.0.1", "", "xn--bcher-kva.example", "a_b.local"}) {
            assertEquals(1, requests(feed("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).size(), "taken: '" + host + "'");
        }
        EmbeddedChannel http10 = channel(1024);
        http10.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.0\r\n\r\nDELETE / HTTP/1.0\r\n\r\n", StandardCharsets.US_ASCII));
        assertEquals(List.of("GET"), requests(http10).stream().map(Request::method).toList(), "HTTP/1.0 needs no Host; it closes after the first");
    }

    /** A chunk the decoder fails on is refused, and nothing the connection sends after it is read as a request (RFC 9112 9.6). */
    @Test
    void nothingAfterABadChunkIsARequest() {
        EmbeddedChannel channel = channel(1024);
        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n", StandardCharsets.US_ASCII));
        FullHttpRequest refused = channel.readInbound();
        assertFalse(refused.decoderResult().isSuccess());
        refused.release();
        channel.writeInbound(Unpooled.copiedBuffer("GET /after HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.US_ASCII));
        assertNull(channel.readInbound(), "a request after it");
    }

    /** Raw UTF-8 in the target and the headers arrives as the text sent; bytes that are not UTF-8 arrive one char each, as before. */
    @Test
    void rawUtf8InTheHeadIsReadAsUtf8() {
        EmbeddedChannel channel = channel(1024);
        byte[] head = ("GET /caf\u00e9?q=\u00e9t\u00e9 HTTP/1.1\r\nHost: h\r\nX-Name: J\u00f6rg\r\nX-Latin: \u00e9\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        int latin = indexOf(head, "X-Latin: ") + "X-Latin: ".length();
        head = java.util.Arrays.copyOf(head, head.length - 1);
        head[latin] = (byte) 0xe9; // ISO-8859-1's é alone: not UTF-8
        head[latin + 1] = '\r';
        head[latin + 2] = '\n';
        head[latin + 3] = '\r';
        head[latin + 4] = '\n';
        channel.writeInbound(Unpooled.wrappedBuffer(head));
        Request request = requests(channel).get(0);
        assertEquals("/caf\u00e9", request.path());
        assertEquals("\u00e9t\u00e9", request.query("q").orElseThrow());
        assertEquals("J\u00f6rg", request.header("x-name").orElseThrow());
        assertEquals(List.of("J\u00f6rg"), request.headers().get("X-Name"));
        assertEquals("\u00e9", request.header("x-latin").orElseThrow());
        assertEquals(List.of("J\u00f6rg"), request.headers().entrySet().stream()
                .filter(e -> e.getKey().equals("x-name")).findFirst().orElseThrow().getValue());
    }

    private static int indexOf(byte[] bytes, String ascii) {
        return new String(bytes, StandardCharsets.ISO_8859_1).indexOf(ascii);
    }
}
