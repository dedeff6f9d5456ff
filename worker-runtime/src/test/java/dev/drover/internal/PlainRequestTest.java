package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.http.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * drover's own reading of the common request against Netty's decoder: whatever {@link PlainRequest}
 * takes, Netty reads the same way (method, target, headers, keep-alive, body, nothing left over),
 * for hand-picked requests and for 30,000 mutations of them; everything else it leaves to Netty.
 */
class PlainRequestTest {
    private static final List<String> VALID = List.of(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
            "GET /search?q=drover&x=%20 HTTP/1.1\r\nHost: h\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n",
            "HEAD /index.html HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
            "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, close\r\n\r\n",
            "GET /a HTTP/1.1\r\nHost: h\r\nCookie: a=1; b=2\r\nCookie: c=3\r\nX-Empty:\r\nX-Tabs:\t v \t\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
            "POST /items HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"name\":\"drover\"}",
            "PUT /items/7 HTTP/1.0\r\nContent-Length:  003 \r\nConnection: keep-alive\r\n\r\nabc",
            "POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2",
            "POST / HTTP/1.1\r\nHost: h\r\n\r\n");

    private record Read(String method, String uri, Map<String, List<String>> headers, String body, boolean keepAlive, boolean http10) {}

    /** What Netty's decoder makes of {@code head} (and the body after it): null unless it read one whole request and nothing else. */
    private static Read netty(byte[] head) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(new HttpDecoderConfig()));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(head));
            List<Object> out = new ArrayList<>();
            for (Object message; (message = channel.readInbound()) != null; ) {
                out.add(message);
            }
            Read read = null;
            if (out.size() >= 2 && out.get(0) instanceof HttpRequest request && request.decoderResult().isSuccess()
                    && out.get(out.size() - 1) instanceof LastHttpContent last && last.decoderResult().isSuccess()
                    && out.subList(1, out.size()).stream().allMatch(HttpContent.class::isInstance)) {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                request.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue()));
                StringBuilder body = new StringBuilder();
                out.subList(1, out.size()).forEach(part -> body.append(((HttpContent) part).content().toString(StandardCharsets.ISO_8859_1)));
                read = new Read(request.method().name(), request.uri(), headers, body.toString(), HttpUtil.isKeepAlive(request),
                        request.protocolVersion().equals(HttpVersion.HTTP_1_0));
            }
            out.forEach(ReferenceCountUtil::release);
            return read;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static Object plain(byte[] head) {
        return PlainRequest.read(Unpooled.wrappedBuffer(head), PlainRequest.MAX_BODY);
    }

    private static Read of(PlainRequest plain) {
        Request request = plain.request();
        assertEquals(request.method().equals("HEAD"), plain.head());
        return new Read(request.method(), request.uri(), new LinkedHashMap<>(request.headers()),
                new String(request.bodyBytes(), StandardCharsets.ISO_8859_1), plain.keepAlive(), plain.http10());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theCommonRequestsAreReadAsNettyReadsThem() {
        for (String head : VALID) {
            ByteBuf buffer = Unpooled.wrappedBuffer(bytes(head));
            Object plain = PlainRequest.read(buffer, PlainRequest.MAX_BODY);
            assertTrue(plain instanceof PlainRequest, "read by drover: " + head);
            assertEquals(head.length(), buffer.readerIndex(), "the whole request is taken: " + head);
            assertEquals(netty(bytes(head)), of((PlainRequest) plain), head);
        }
    }

    @Test
    void headersAreFoundInAnyCase() {
        Request request = ((PlainRequest) plain(bytes(VALID.get(6)))).request();
        assertEquals("a=1; b=2", request.header("COOKIE").orElseThrow());
        assertEquals(List.of("a=1; b=2", "c=3"), request.headers().get("cookie"));
        assertEquals("", request.header("x-empty").orElseThrow());
        assertEquals("v", request.header("X-Tabs").orElseThrow());
        assertTrue(request.headers().containsKey("Host"));
        assertNull(request.headers().get("accept"));
    }

    @Test
    void anApplicationCannotChangeARequestsHeadersOrFiles() {
        Request request = ((PlainRequest) plain(bytes(VALID.get(6)))).request();
        assertThrows(UnsupportedOperationException.class, () -> request.headers().put("cookie", List.of("forged")));
        assertThrows(UnsupportedOperationException.class, () -> request.headers().remove("cookie"));
        assertThrows(UnsupportedOperationException.class, () -> request.headers().entrySet().clear());
        assertThrows(UnsupportedOperationException.class, () -> request.files().put("f", null));
        assertEquals(List.of("a=1; b=2", "c=3"), request.headers().get("cookie"));
    }

    @Test
    void anythingElseIsLeftToNetty() {
        for (String head : List.of(
                "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcde",
                "HEAD / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx",
                "POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\nx",
                "POST / HTTP/1.1\r\nContent-Length: 1,1\r\n\r\nx",
                "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
                "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\nx",
                "POST / HTTP/1.1\r\nContent-Length: 1234567890\r\n\r\nx",
                "POST / HTTP/1.1\r\nContent-Length: " + (PlainRequest.MAX_BODY + 1) + "\r\n\r\nx",
                "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Type: Multipart/form-data; boundary=x\r\nContent-Length: 3\r\n\r\nabc",
                "PATCH / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx",
                "DELETE / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
                "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
                "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                "GET / HTTP/1.1\r\nSec-WebSocket-Key1: 1\r\nSec-WebSocket-Key2: 2\r\n\r\n12345678",
                "GET / HTTP/1.1\nHost: h\n\n",
                "GET / HTTP/1.1\r\nHost: h\n\r\n",
                "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET  / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1 \r\n\r\n",
                "GET / HTTP/2.0\r\n\r\n",
                "GET /caf\u00e9 HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
                "GET / HTTP/1.1\r\nX: caf\u00e9\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
                "get / HTTP/1.1\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\n\r\n",
                "GET http://example.com/x HTTP/1.1\r\nHost: example.com\r\n\r\n",
                "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nHOST: b\r\n\r\n",
                "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n",
                "GET / HTTP/1.1\r\nX: " + "a".repeat(5000) + "\r\nY: " + "b".repeat(5000) + "\r\n\r\n")) {
            assertSame(PlainRequest.DECLINED, plain(bytes(head)), head);
        }
    }

    @Test
    void anUnfinishedHeadWaitsForTheRest() {
        assertNull(plain(bytes("GET / HTTP/1.1\r\nHost: h\r\n")));
        assertNull(plain(bytes("GE")));
        assertNull(plain(bytes("GET /x HTTP/1.1\r\nHost")));
        ByteBuf buffer = Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab", StandardCharsets.ISO_8859_1);
        assertNull(PlainRequest.read(buffer, PlainRequest.MAX_BODY), "a body not all here yet");
        assertEquals(0, buffer.readerIndex());
        buffer.writeBytes(bytes("cdeGET"));
        assertEquals("abcde", ((PlainRequest) PlainRequest.read(buffer, PlainRequest.MAX_BODY)).request().body());
        assertEquals("GET", buffer.toString(StandardCharsets.ISO_8859_1), "the next request's start is left");
    }

    @Test
    void aBodyPastTheConnectionsMaxPackageSizeIsLeftToNetty() {
        String post = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcde";
        assertSame(PlainRequest.DECLINED, PlainRequest.read(Unpooled.wrappedBuffer(bytes(post)), 4));
        assertTrue(PlainRequest.read(Unpooled.wrappedBuffer(bytes(post)), 5) instanceof PlainRequest);
    }

    @Test
    void pipelinedRequestsAreTakenOneAtATime() {
        ByteBuf buffer = Unpooled.copiedBuffer(VALID.get(0) + VALID.get(8) + VALID.get(2) + "POST", StandardCharsets.ISO_8859_1);
        assertEquals("GET", ((PlainRequest) PlainRequest.read(buffer, PlainRequest.MAX_BODY)).request().method());
        assertEquals("{\"name\":\"drover\"}", ((PlainRequest) PlainRequest.read(buffer, PlainRequest.MAX_BODY)).request().body());
        assertEquals("HEAD", ((PlainRequest) PlainRequest.read(buffer, PlainRequest.MAX_BODY)).request().method());
        assertNull(PlainRequest.read(buffer, PlainRequest.MAX_BODY), "four bytes of a POST: not yet known");
        assertEquals("POST", buffer.toString(StandardCharsets.ISO_8859_1));
    }

    /** Random edits of the valid heads: whenever drover takes one, Netty reads it the same way. */
    @Test
    void whateverDroverTakesNettyReadsTheSameWay() {
        String[] pieces = {" ", "\t", "\r", "\n", "\r\n", ":", ",", "a", "Z", "0", "5", "/", "?", "\u007f", "\u0080", "\u00ff", "\u0000",
            "GET ", "HEAD ", "POST ", "PUT ", " HTTP/1.1", "Content-Length: 0\r\n", "Content-Length: 7\r\n", "Content-Length: 2\r\n",
            "Transfer-Encoding: chunked\r\n", "Content-Type: multipart/form-data\r\n", "Content-Type: text/plain\r\n",
            "Connection: close\r\n", "Connection: keep-alive\r\n", "Host: x\r\n", "\r\n\r\n", "X-A: b\r\n"};
        Random random = new Random(20261203);
        int taken = 0;
        int withBody = 0;
        for (int n = 0; n < 30_000; n++) {
            StringBuilder head = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(head.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> head.insert(at, pieces[random.nextInt(pieces.length)]);
                    case 1 -> head.delete(at, Math.min(head.length(), at + 1 + random.nextInt(3)));
                    default -> head.replace(at, Math.min(head.length(), at + 1), pieces[random.nextInt(pieces.length)]);
                }
            }
            ByteBuf buffer = Unpooled.wrappedBuffer(bytes(head.toString()));
            if (PlainRequest.read(buffer, PlainRequest.MAX_BODY) instanceof PlainRequest plain) {
                taken++;
                withBody += plain.request().bodyBytes().length > 0 ? 1 : 0;
                Read netty = netty(Arrays.copyOf(buffer.array(), buffer.readerIndex())); // what follows the request is the next one's
                assertNotNull(netty, () -> "drover took what Netty does not read as one whole request: " + escape(head));
                assertEquals(netty, of(plain), () -> escape(head));
                int hosts = netty.headers().getOrDefault("host", List.of()).size();
                assertTrue(hosts == 1 || hosts == 0 && plain.http10(), () -> "one Host, or none in HTTP/1.0: " + escape(head));
            }
        }
        assertTrue(taken > 3_000, "enough of the edits were taken to mean something: " + taken);
        assertTrue(withBody > 300, "enough of them with a body: " + withBody);
    }

    private static String escape(CharSequence text) {
        return text.toString().replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
