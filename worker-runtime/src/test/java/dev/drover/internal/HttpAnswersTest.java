package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.http.Chunk;
import dev.drover.http.Request;
import dev.drover.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes out for what came in: keep-alive and close (HTTP/1.1, HTTP/1.0, {@code Connection}),
 * HEAD, pipelined answers in order, a smuggling attempt, answers of every kind on one connection,
 * and requests read by drover and by Netty's decoder in their order.
 * The answers' bytes are compared in lower case; a stopping worker's answer and too deep a
 * pipeline close the connection.
 */
class HttpAnswersTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    private static final Pattern DATE = Pattern.compile("\r\nDate: ([A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT)",
            Pattern.CASE_INSENSITIVE);
    /** An application's own Date, which goes out as it set it. */
    private static final String OWN_DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    private final EmbeddedChannel channel = HttpCodecTest.channel(1024);
    /** The Date of each answer written, in order. */
    private final List<String> datesSeen = new ArrayList<>();

    /** Sends {@code requests} in one segment and answers each request that came through with {@code answer}. */
    private String exchange(String requests, Object... answers) {
        channel.writeInbound(Unpooled.copiedBuffer(requests, StandardCharsets.US_ASCII));
        int answered = 0;
        Object request;
        while ((request = channel.readInbound()) != null) {
            assertTrue(request instanceof Request || request instanceof FullHttpRequest, "a request, read by drover or by Netty: " + request);
            ReferenceCountUtil.release(request);
            channel.writeAndFlush(HttpCodec.INSTANCE.encode(answers[answered++], ByteBufAllocator.DEFAULT, null));
        }
        assertEquals(answers.length, answered, "requests that came through");
        return written();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            out.append(buffer.toString(StandardCharsets.UTF_8));
            buffer.release();
        }
        return undated(out.toString()).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * {@code out} without the Date line that each final answer's head must carry once, as the time
     * now (RFC 9110 6.6.1; an application's own Date is taken out too): the tests compare the rest.
     */
    private String undated(String out) {
        Matcher date = DATE.matcher(out);
        int dates = 0;
        while (date.find()) {
            dates++;
            datesSeen.add(date.group(1));
            long age = Instant.now().getEpochSecond() - ZonedDateTime.parse(date.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            assertTrue(age >= 0 && age < 60 || date.group(1).equals(OWN_DATE), "a date of now: " + date.group(1));
        }
        assertEquals(Pattern.compile("HTTP/1\\.[01] [2-5]").matcher(out).results().count(), dates, "dates, one per final answer: " + out);
        return date.replaceAll("");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndTheConnectionStaysOpen() {
        String out = exchange(GET + GET, "one", "two");
        assertEquals("http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 3\r\n\r\none"
                + "http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 3\r\n\r\ntwo", out);
        assertTrue(channel.isOpen());
    }

    @Test
    void bytesGoOutAsOctetStream() {
        String out = exchange(GET, (Object) new byte[] {'a', 'b'});
        assertEquals("http/1.1 200 ok\r\ncontent-type: application/octet-stream\r\ncontent-length: 2\r\n\r\nab", out);
    }

    @Test
    void connectionCloseIsAnsweredAndTheConnectionClosed() {
        String out = exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "bye");
        assertTrue(out.contains("\r\nconnection: close\r\n"), out);
        assertTrue(out.endsWith("\r\n\r\nbye"), out);
        assertFalse(channel.isOpen());
    }

    @Test
    void http10ClosesUnlessItAsksForKeepAlive() {
        String out = exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "kept");
        assertFalse(out.contains("connection: close"), out);
        assertTrue(out.contains("\r\nconnection: keep-alive\r\n"), "a 1.0 client closes unless the answer says it keeps the connection: " + out);
        assertTrue(channel.isOpen());
        out = exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", new Response(201, Map.of(), "made"));
        assertTrue(out.contains("\r\nconnection: keep-alive\r\n"), out);
        assertTrue(channel.isOpen());
        out = exchange("DELETE /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "read by Netty's decoder");
        assertTrue(out.contains("\r\nconnection: keep-alive\r\n"), out);
        assertFalse(exchange(GET, "1.1").contains("keep-alive"), "HTTP/1.1 keeps the connection without saying so");
        out = exchange("GET / HTTP/1.0\r\n\r\n", "closed");
        assertTrue(out.contains("\r\nconnection: close\r\n"), out);
        assertFalse(channel.isOpen());
    }

    /** The handler that answers is the connection's traffic: it counts what crossed the socket, whichever encoder wrote it. */
    @Test
    void theBytesInAndOutAreCountedWhoeverEncodedTheAnswer() {
        String requests = GET + "DELETE /x HTTP/1.1\r\nHost: h\r\n\r\n";
        String out = exchange(requests, "drover's", new Response(201, Map.of(), "Netty's"));
        Traffic traffic = channel.pipeline().get(Traffic.class);
        assertTrue(out.contains("drover's") && out.contains("netty's"), out);
        assertEquals(requests.length(), traffic.bytesRead());
        assertEquals(out.length() + 2 * "\r\ndate: Mon, 07 Dec 2026 09:50:45 GMT".length(), traffic.bytesWritten(), "with the dates");
    }

    /** A file goes out as it is (a FileRegion, zero-copy): counted at its length. */
    @Test
    void aFileBodyIsCountedAtItsLength(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("body"), "twelve bytes");
        channel.writeInbound(Unpooled.copiedBuffer(GET, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(channel.readInbound());
        Traffic traffic = channel.pipeline().get(Traffic.class);
        FileBody body = (FileBody) HttpCodec.INSTANCE.encode(new Response(200).file(file), ByteBufAllocator.DEFAULT, null);
        body.writeTo(channel, null);
        long head = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            head += out instanceof ByteBuf buffer ? buffer.readableBytes() : 0;
            ReferenceCountUtil.release(out);
        }
        assertTrue(head > 0);
        assertEquals(head + 12, traffic.bytesWritten());
    }

    @Test
    void theAnswerToTheLastKeptRequestClosesAPipelinedBatch() {
        String out = exchange(GET + "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "first", "last");
        int second = out.indexOf("http/1.1 200", 1);
        assertFalse(out.substring(0, second).contains("connection: close"), out);
        assertTrue(out.substring(second).contains("connection: close"), out);
        assertFalse(channel.isOpen());
    }

    @Test
    void nothingAfterARequestThatClosesIsRead() {
        // Read by drover (a GET), and by Netty's decoder (a chunked body), then a request each that must not come through.
        String out = exchange("GET /1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + GET, "only");
        assertEquals(1, out.split("http/1.1 200").length - 1, out);
        assertFalse(channel.isOpen());
        EmbeddedChannel netty = HttpCodecTest.channel(1024);
        netty.writeInbound(Unpooled.copiedBuffer("POST /2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "2\r\nab\r\n0\r\n\r\n" + GET, StandardCharsets.US_ASCII));
        FullHttpRequest post = netty.readInbound();
        assertEquals("/2", post.uri());
        post.release();
        assertNull(netty.readInbound(), "the request after the one that closes");
    }

    @Test
    void nothingAfterAnAnswerThatClosesIsRead() {
        // As an application's onMessage does: the first request is answered before the next is read.
        List<Object> read = new ArrayList<>();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object request) {
                read.add(request);
                ReferenceCountUtil.release(request);
                ctx.channel().writeAndFlush(HttpCodec.INSTANCE.encode(new Response(200).header("Connection", "close").body("bye"),
                        ByteBufAllocator.DEFAULT, null));
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer(GET + GET, StandardCharsets.US_ASCII));
        assertEquals(1, read.size(), "requests read");
        assertTrue(written().contains("connection: close"));
        assertFalse(channel.isOpen());
    }

    @Test
    void anHttp10ClientGetsAStreamedAnswerUnchunkedToTheClose() {
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(channel.readInbound());
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Response(200).header("Transfer-Encoding", "chunked"), ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Chunk("part1"), ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Chunk("part2"), ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Chunk(""), ByteBufAllocator.DEFAULT, null));
        String out = written();
        assertFalse(out.contains("transfer-encoding"), out);
        assertTrue(out.endsWith("\r\n\r\npart1part2"), out);
        assertFalse(channel.isOpen());
    }

    /** Workerman sends a streamed Response's body first: as the first chunk, or an event stream's opening (a retry line). */
    @Test
    void aStreamedResponsesBodyGoesOutFirst() {
        assertTrue(new Response(200).header("Transfer-Encoding", "gzip, chunked").isStreaming(), "chunked last: streamed");
        Map<String, Response> streamed = Map.of("retry: 5000\n\n", new Response(200).header("Content-Type", "Text/Event-Stream")
                .body("retry: 5000\n\n"), "first-", new Response(200).header("Transfer-Encoding", "chunked").body("first-"));
        streamed.forEach((body, response) -> {
            assertTrue(response.isStreaming(), "media types ignore case");
            Object start = HttpCodec.INSTANCE.encode(response, ByteBufAllocator.DEFAULT, null);
            assertTrue(start instanceof HttpCodec.StreamStart, String.valueOf(start));
            HttpCodec.StreamStart stream = (HttpCodec.StreamStart) start;
            assertEquals("chunked", stream.head().headers().get("transfer-encoding"));
            assertEquals(body, stream.first().content().toString(StandardCharsets.UTF_8));
            ReferenceCountUtil.release(stream.first());
        });
    }

    @Test
    void headGetsTheLengthButNoBody() {
        String out = exchange("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n" + GET, "hello", "world");
        assertEquals("http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 5\r\n\r\n"
                + "http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 5\r\n\r\nworld", out);
        assertTrue(channel.isOpen());
    }

    @Test
    void aResponseKeepsItsStatusAndHeaders() {
        Response created = new Response(201, Map.of("Location", "/items/7"), "made");
        String out = exchange(GET, created.addHeader("Set-Cookie", "a=1").addHeader("Set-Cookie", "b=2"));
        assertTrue(out.startsWith("http/1.1 201 created\r\n"), out);
        assertTrue(out.contains("\r\nlocation: /items/7\r\n"), out);
        assertTrue(out.contains("\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n"), out);
        assertTrue(out.contains("\r\ncontent-length: 4\r\n"), out);
        assertTrue(out.endsWith("\r\n\r\nmade"), out);
    }

    /** Every final answer says when it was made (checked in {@link #undated}); one with a Date of the application's keeps it (Netty's encoder writes it). */
    @Test
    void anAnswersOwnDateGoesOutAsItWasSet() {
        exchange(GET + GET + GET, new Response(200).header("date", OWN_DATE).body("Netty's path too"), new Response(204).header("Date", OWN_DATE), "now");
        assertEquals(List.of(OWN_DATE, OWN_DATE), datesSeen.subList(0, 2));
        assertTrue(!datesSeen.get(2).equals(OWN_DATE), datesSeen.toString());
    }

    /** A Response that sets no Content-Type is HTML in UTF-8, as Workerman's: a browser guessed, and read UTF-8 as Latin-1. */
    @Test
    void aResponseWithoutATypeIsUtf8Html(@TempDir Path dir) throws IOException {
        String html = "content-type: text/html;charset=utf-8\r\n";
        assertTrue(exchange(GET, new Response(200).body("<b>\u4f60\u597d</b>")).contains("\r\n" + html), "drover's own answer");
        assertTrue(exchange(GET, new Response(200).header("Connection", "keep-alive").body("x")).contains(html), "Netty's path");
        String typed = exchange(GET, new Response(200).header("content-TYPE", "text/csv").body("a,b"));
        assertTrue(typed.contains("\r\ncontent-type: text/csv\r\n") && !typed.contains("text/html"), typed);
        assertTrue(fileHead(Files.writeString(dir.resolve("site.css"), "p {}")).contains("\r\ncontent-type: text/css;charset=utf-8\r\n"),
                "a file is typed by its extension");
        for (int bodiless : new int[] {204, 205, 304}) {
            assertFalse(rawAnswer(GET, HttpCodec.encodeResponse(new Response(bodiless), ByteBufAllocator.DEFAULT)).contains("content-type"),
                    bodiless + " has no body to type");
        }
        String notModified = rawAnswer(GET, HttpCodec.encodeResponse(new Response(304).header("ETag", "\"1\""), ByteBufAllocator.DEFAULT));
        assertFalse(notModified.contains("content-length"), "a 304 says no length but the 200's, which it does not know: " + notModified);
    }

    /** A file gone between the answer and its write is a 404, which keeps the answer's cookies (a session's). */
    @Test
    void aFileGoneBeforeItsWriteIsA404KeepingTheCookies(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        FileBody body = (FileBody) HttpCodec.encodeResponse(new Response(200).file(file), ByteBufAllocator.DEFAULT);
        body.head().headers().add("Set-Cookie", "PHPSID=1");
        Files.delete(file);
        EmbeddedChannel own = HttpCodecTest.channel(1024);
        own.writeInbound(Unpooled.copiedBuffer(GET, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(own.readInbound());
        body.writeTo(own, null);
        StringBuilder out = new StringBuilder();
        for (Object written; (written = own.readOutbound()) != null; ) {
            out.append(((ByteBuf) written).toString(StandardCharsets.US_ASCII));
            ReferenceCountUtil.release(written);
        }
        assertTrue(out.toString().startsWith("HTTP/1.1 404 Not Found\r\n"), out.toString());
        assertTrue(out.toString().toLowerCase().contains("\r\nset-cookie: phpsid=1\r\n"), out.toString());
    }

    /** The head a file's response goes out with, on a connection of its own. */
    private static String fileHead(Path file) {
        FileBody body = (FileBody) HttpCodec.encodeResponse(new Response(200).file(file), ByteBufAllocator.DEFAULT);
        EmbeddedChannel own = HttpCodecTest.channel(1024);
        own.writeInbound(Unpooled.copiedBuffer(GET, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(own.readInbound());
        body.writeTo(own, null);
        ByteBuf head = own.readOutbound();
        try {
            return head.toString(StandardCharsets.US_ASCII);
        } finally {
            head.release();
            for (Object rest; (rest = own.readOutbound()) != null; ) {
                ReferenceCountUtil.release(rest);
            }
        }
    }

    /**
     * A {@link Response} goes out as one buffer of drover's own ({@link PlainAnswer#of}) with the
     * bytes Netty's encoder writes for it, after every kind of request (HEAD, HTTP/1.0 keeping the
     * connection, one closing it); those it leaves to Netty are the ones Netty must shape.
     */
    @Test
    void aResponseGoesOutAsNettysEncoderWritesIt() {
        List<String> requests = List.of(GET, "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "GET / HTTP/1.0\r\n\r\n");
        List<Response> plain = List.of(new Response(200), new Response(200).body("{\"a\":1}").header("Content-Type", "application/json"),
                new Response(201, Map.of("Location", "/items/7"), "made").addHeader("Set-Cookie", "a=1").addHeader("Set-Cookie", "b=2"),
                new Response(404).body("no such item: caf\u00e9").header("X-Latin", "caf\u00e9 \u20ac\ttab"), new Response(599).body("x"),
                new Response(299), new Response(503).header("Retry-After", "5").header("retry-after", "7").cookie("s", "v"),
                new Response(200).addHeader("X-A", "1").addHeader("x-a", "2"), new Response(418).body("short and stout"));
        List<Response> netty = List.of(new Response(204), new Response(205), new Response(304).header("ETag", "\"x\""), new Response(101),
                new Response(200).header("Content-Length", "99").body("abc"), new Response(200).header("Connection", "close").body("abc"),
                new Response(200).header("Transfer-Encoding", "chunked"), new Response(200).header("Content-Type", "Text/Event-Stream"));
        for (String request : requests) {
            for (Response response : plain) {
                Object answer = HttpCodec.INSTANCE.encode(response, ByteBufAllocator.DEFAULT, null);
                assertTrue(answer instanceof PlainAnswer, "drover's own answer for " + response.status() + " " + response.headers());
                assertEquals(rawAnswer(request, HttpCodec.encodeResponse(response, ByteBufAllocator.DEFAULT)), rawAnswer(request, answer),
                        "after " + request.trim());
            }
        }
        for (Response response : netty) {
            assertFalse(PlainAnswer.of(response) instanceof PlainAnswer, "Netty's to shape: " + response.status() + " " + response.headers());
        }
    }

    /** The bytes that go out, as written, when {@code answer} answers {@code request} on a connection of its own. */
    private static String rawAnswer(String request, Object answer) {
        EmbeddedChannel own = HttpCodecTest.channel(1024);
        own.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(own.readInbound());
        own.writeAndFlush(answer);
        StringBuilder out = new StringBuilder();
        for (ByteBuf buffer; (buffer = own.readOutbound()) != null; buffer.release()) {
            out.append(buffer.toString(StandardCharsets.ISO_8859_1));
        }
        return DATE.matcher(out.append(own.isOpen() ? "" : "[closed]")).replaceAll("\r\nDate: (now)"); // two answers may be a second apart
    }

    @Test
    void anApplicationsHeaderCannotSplitTheResponse() {
        channel.writeInbound(Unpooled.copiedBuffer(GET, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(channel.readInbound());
        Response split = new Response(200).header("X-Evil", "a\r\nSet-Cookie: stolen=1").body("x");
        assertThrows(IllegalArgumentException.class, () -> HttpCodec.INSTANCE.encode(split, ByteBufAllocator.DEFAULT, null));
    }

    @Test
    void aStreamedAnswerAndPlainOnesShareAConnection() {
        channel.writeInbound(Unpooled.copiedBuffer(GET + "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n" + GET, StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            ReferenceCountUtil.release(channel.readInbound());
        }
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Response(200).header("Transfer-Encoding", "chunked"), ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Chunk("abc"), ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Chunk(""), ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode("head", ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode("get", ByteBufAllocator.DEFAULT, null));
        String out = written();
        assertTrue(out.startsWith("http/1.1 200 ok\r\ncontent-type: text/html;charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), out);
        assertTrue(out.contains("0\r\n\r\nhttp/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 4\r\n\r\nhttp/1.1 200 ok"), out);
        assertTrue(out.endsWith("content-length: 3\r\n\r\nget"), out);
        assertTrue(channel.isOpen());
    }

    @Test
    void aPlainAnswerInsideAStreamedOneFailsAndLeavesTheStreamIntact() {
        channel.writeInbound(Unpooled.copiedBuffer(GET + GET, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(channel.readInbound());
        ReferenceCountUtil.release(channel.readInbound());
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Response(200).header("Transfer-Encoding", "chunked"), ByteBufAllocator.DEFAULT, null));
        ChannelFuture early = channel.writeAndFlush(HttpCodec.INSTANCE.encode("too early", ByteBufAllocator.DEFAULT, null));
        assertTrue(early.cause() instanceof IllegalStateException, String.valueOf(early.cause()));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode(new Chunk(""), ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.INSTANCE.encode("next", ByteBufAllocator.DEFAULT, null));
        assertEquals("http/1.1 200 ok\r\ncontent-type: text/html;charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n"
                + "http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 4\r\n\r\nnext", written());
        assertTrue(channel.isOpen());
    }

    /**
     * An answer the application wrote itself (sendRaw) goes out as it is and answers its own
     * request: the next answer is the next request's, a HEAD's without its body, closing as it asked.
     */
    @Test
    void aRawAnswerAnswersItsOwnRequest() {
        channel.writeInbound(Unpooled.copiedBuffer(GET + "HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(channel.readInbound());
        ReferenceCountUtil.release(channel.readInbound());
        String raw = "HTTP/1.1 200 OK\r\nDate: " + OWN_DATE + "\r\nContent-Length: 2\r\n\r\nhi";
        assertTrue(channel.writeAndFlush(new RawAnswer(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII))).isSuccess());
        channel.writeAndFlush(HttpCodec.INSTANCE.encode("head", ByteBufAllocator.DEFAULT, null));
        assertEquals("http/1.1 200 ok\r\ncontent-length: 2\r\n\r\nhi"
                + "http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 4\r\nconnection: close\r\n\r\n", written());
        assertFalse(channel.isOpen());
    }

    /**
     * Behind an answer still owed, a body over maxPackageSize is answered 413 in its turn, after
     * that answer, and what follows it is not read; and no 100 Continue goes out ahead of that answer.
     */
    @Test
    void aBodyOverTheLimitBehindAnAnswerOwedIsRefusedInItsTurn() {
        channel.writeInbound(Unpooled.copiedBuffer("GET /first HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /big HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2000\r\n\r\n"
                + "GET /third HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.US_ASCII));
        Request first = channel.readInbound();
        assertEquals("/first", first.path());
        FullHttpRequest big = channel.readInbound();
        assertEquals("a body over maxPackageSize (1024 bytes)", big.decoderResult().cause().getMessage());
        assertNull(channel.readInbound(), "nothing after it");
        assertEquals("", written(), "no 100 Continue, no 413 before the first answer");
        channel.writeAndFlush(HttpCodec.INSTANCE.encode("first", ByteBufAllocator.DEFAULT, null));
        channel.writeAndFlush(HttpCodec.badRequest(big.decoderResult().cause())).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        big.release();
        String out = written();
        assertTrue(out.startsWith("http/1.1 200 ok\r\n") && out.contains("\r\n\r\nfirsthttp/1.1 413 request entity too large\r\n"), out);
        assertFalse(channel.isOpen());
    }

    /** A stopping worker's answer (NettyConnection marks it) tells the client and closes. */
    @Test
    void anAnswerMarkedClosingSaysSoAndCloses() {
        channel.writeInbound(Unpooled.copiedBuffer(GET, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(channel.readInbound());
        PlainAnswer last = (PlainAnswer) HttpCodec.INSTANCE.encode("last", ByteBufAllocator.DEFAULT, null);
        last.close();
        channel.writeAndFlush(last);
        String out = written();
        assertEquals("http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 4\r\nconnection: close\r\n\r\nlast", out);
        assertFalse(channel.isOpen());
    }

    @Test
    void moreUnansweredRequestsThanThePipelineDepthCloseTheConnection() {
        String batch = GET.repeat(HttpServerSide.MAX_PIPELINE_DEPTH + 1);
        assertThrows(Exception.class, () -> channel.writeInbound(Unpooled.copiedBuffer(batch, StandardCharsets.US_ASCII)));
        int through = 0;
        Object request;
        while ((request = channel.readInbound()) != null) {
            ReferenceCountUtil.release(request);
            through++;
        }
        assertEquals(HttpServerSide.MAX_PIPELINE_DEPTH, through);
        assertFalse(channel.isOpen());
    }

    /** The connection's traffic closes it: an answer written in the same read goes out first. */
    @Test
    void anAnswerWrittenBeforeThePipelineOverflowedGoesOutBeforeTheClose() {
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private boolean answered;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object request) {
                if (answered) {
                    ctx.fireChannelRead(request);
                    return;
                }
                answered = true;
                ReferenceCountUtil.release(request);
                ctx.writeAndFlush(HttpCodec.INSTANCE.encode("first", ctx.alloc(), null));
            }
        });
        String batch = GET.repeat(HttpServerSide.MAX_PIPELINE_DEPTH + 2);
        assertThrows(Exception.class, () -> channel.writeInbound(Unpooled.copiedBuffer(batch, StandardCharsets.US_ASCII)));
        channel.releaseInbound();
        String out = written();
        assertTrue(out.startsWith("http/1.1 200 ok\r\n") && out.endsWith("\r\n\r\nfirst"), out);
        assertFalse(channel.isOpen());
    }

    /** An expectation other than 100-continue is ignored, as nginx ignores it: the body is the body, not a request smuggled in it. */
    @Test
    void anUnknownExpectationIsIgnoredAndItsBodyIsNoRequest() {
        String inner = "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n";
        channel.writeInbound(Unpooled.copiedBuffer("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: " + inner.length()
                + "\r\nExpect: foo\r\n\r\n" + inner + GET, StandardCharsets.US_ASCII));
        List<String> seen = new ArrayList<>();
        for (Object request; (request = channel.readInbound()) != null; ) {
            Request read = (Request) HttpCodec.INSTANCE.decode(request, null);
            seen.add(read.method() + " " + read.uri() + " " + read.body().length());
            ReferenceCountUtil.release(request);
        }
        assertEquals(List.of("POST /p " + inner.length(), "GET / 0"), seen);
        assertEquals("", written(), "no 417");
    }

    /** A 413 for a body announced with 100-continue closes: the client may send it anyway, and none of it is a request. */
    @Test
    void aBodyTooLargeForAContinueIsRefusedAndTheConnectionCloses() {
        channel.writeInbound(Unpooled.copiedBuffer("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\nExpect: 100-continue\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertTrue(channel.readInbound() == null, "no request reaches the application");
        String out = written();
        assertTrue(out.startsWith("http/1.1 413 request entity too large\r\n"), out);
        assertFalse(channel.isOpen());
    }

    /** ConnectionHandler answers a request the decoder flagged with 400 and closes. */
    @Test
    void aRequestWithBothLengthsIsFlagged() {
        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                + "0\r\n\r\n", StandardCharsets.US_ASCII));
        FullHttpRequest smuggled = channel.readInbound();
        assertTrue(smuggled.decoderResult().isFailure(), smuggled.toString());
        smuggled.release();
    }

    /** drover reads the GETs and the POST, Netty the PATCH between them, in whatever segments they come: all in order. */
    @Test
    void aRequestWithABodyBetweenPlainOnesKeepsItsPlace() {
        String patch = "PATCH /form HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n";
        String post = "POST /items HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n";
        channel.writeInbound(Unpooled.copiedBuffer(GET + patch + "a", StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer("bc" + GET.substring(0, 9), StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer(GET.substring(9) + post + "wx", StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer("yz" + GET, StandardCharsets.US_ASCII));
        List<String> seen = new ArrayList<>();
        for (Object request; (request = channel.readInbound()) != null; ) {
            if (request instanceof FullHttpRequest full) {
                seen.add("netty " + full.method() + " " + full.uri() + " " + full.content().toString(StandardCharsets.US_ASCII));
            } else {
                seen.add("drover " + request + " " + ((Request) request).body());
            }
            ReferenceCountUtil.release(request);
        }
        assertEquals(List.of("drover GET / ", "netty PATCH /form abc", "drover GET / ", "drover POST /items wxyz", "drover GET / "), seen);
    }

    @Test
    void aBodyThatWaitsForContinueGetsItEncodedBeforeTheAnswer() {
        // The aggregator writes the 100 Continue: it must pass the answers' encoder like any answer.
        channel.writeInbound(Unpooled.copiedBuffer("POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
                StandardCharsets.US_ASCII));
        assertEquals("http/1.1 100 continue\r\n\r\n", written());
        assertEquals("http/1.1 200 ok\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 2\r\n\r\nok", exchange("abc", "ok"));
        assertTrue(channel.isOpen());
    }
}
