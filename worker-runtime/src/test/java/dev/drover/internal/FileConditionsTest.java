package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.http.Request;
import dev.drover.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole file answers a request's conditions and byte range as nginx answers them for a static
 * file: 304, 206 and 416, each from the head the application gave it; a part the application
 * chose goes as it asked.
 */
class FileConditionsTest {
    /** 2026-01-02 03:04:05 UTC, the file's modification time. */
    private static final long MODIFIED = 1767323045L;
    private static final String DATE = "Fri, 02 Jan 2026 03:04:05 GMT";
    private static final String ETAG = "\"" + Long.toHexString(MODIFIED) + "-1a\"";

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void aFileOf26Letters() throws IOException {
        file = Files.writeString(dir.resolve("letters.txt"), "abcdefghijklmnopqrstuvwxyz");
        Files.setLastModifiedTime(file, FileTime.fromMillis(MODIFIED * 1000));
    }

    /** The answer (head and body, in lower case but the body) to {@code request} for {@code response}. */
    private static String answer(String request, Response response) throws IOException {
        EmbeddedChannel channel = HttpCodecTest.channel(1024);
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        Request read = (Request) HttpCodec.INSTANCE.decode(channel.readInbound(), null);
        ((FileBody) HttpCodec.encodeResponse(response, ByteBufAllocator.DEFAULT)).writeTo(channel, read);
        StringBuilder head = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            if (out instanceof FileRegion region) {
                region.transferTo(Channels.newChannel(body), region.transferred());
            } else {
                (head.indexOf("\r\n\r\n") < 0 ? head : new StringBuilder()).append(((ByteBuf) out).toString(StandardCharsets.US_ASCII));
            }
            ReferenceCountUtil.release(out);
        }
        return head.toString().toLowerCase(Locale.ROOT) + body.toString(StandardCharsets.US_ASCII);
    }

    private String get(String... headers) throws IOException {
        return answer("GET /f HTTP/1.1\r\nHost: h\r\n" + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList())
                + "\r\n", new Response(200).file(file));
    }

    /** An ETag the application set weak matches its own If-None-Match: the weak comparison takes W/ off both. */
    @Test
    void anApplicationsWeakEtagMatches() throws IOException {
        String answer = answer("GET /f HTTP/1.1\r\nHost: h\r\nIf-None-Match: W/\"abc\"\r\n\r\n",
                new Response(200).header("ETag", "W/\"abc\"").file(file));
        assertTrue(answer.startsWith("http/1.1 304 not modified\r\n"), answer);
        String range = answer("GET /f HTTP/1.1\r\nHost: h\r\nRange: bytes=2-5\r\nIf-Range: W/\"abc\"\r\n\r\n",
                new Response(200).header("ETag", "W/\"abc\"").file(file));
        assertTrue(range.startsWith("http/1.1 200 ok\r\n") && range.endsWith("\r\n\r\nabcdefghijklmnopqrstuvwxyz"),
                "If-Range compares strongly (RFC 9110 13.1.5): a weak ETag never matches, and the whole file goes: " + range);
    }

    @Test
    void aWholeFileSaysItsValidatorsAndTakesRanges() throws IOException {
        String whole = get();
        assertTrue(whole.startsWith("http/1.1 200 ok\r\n"), whole);
        assertTrue(whole.contains("\r\netag: " + ETAG + "\r\n") && whole.contains("\r\naccept-ranges: bytes\r\n")
                && whole.contains("\r\nlast-modified: " + DATE.toLowerCase(Locale.ROOT) + "\r\n") && whole.contains("\r\ncontent-length: 26\r\n"), whole);
        assertTrue(whole.endsWith("\r\n\r\nabcdefghijklmnopqrstuvwxyz"), whole);
    }

    @Test
    void aRangeGetsA206WithThatPart() throws IOException {
        String part = get("Range: bytes=2-5");
        assertTrue(part.startsWith("http/1.1 206 partial content\r\n") && part.contains("\r\ncontent-range: bytes 2-5/26\r\n")
                && part.contains("\r\ncontent-length: 4\r\n") && part.endsWith("\r\n\r\ncdef"), part);
        assertTrue(get("Range: bytes=-3").endsWith("\r\n\r\nxyz"), "the last 3");
        assertTrue(get("Range: bytes=20-").contains("\r\ncontent-range: bytes 20-25/26\r\n"), "to the end");
        assertTrue(get("Range: bytes=24-99").endsWith("\r\n\r\nyz"), "cut at the end");
        assertTrue(get("Range: bytes=-99").contains("\r\ncontent-range: bytes 0-25/26\r\n"), "a suffix longer than the file: all of it");
        assertTrue(get("Range: bytes=2-5", "If-Range: " + ETAG).endsWith("\r\n\r\ncdef"), "If-Range with the ETag");
        assertTrue(get("Range: bytes=2-5", "If-Range: " + DATE).endsWith("\r\n\r\ncdef"), "If-Range with the date");
    }

    @Test
    void aRangePastTheEndGetsA416() throws IOException {
        String refused = get("Range: bytes=26-");
        assertTrue(refused.startsWith("http/1.1 416 requested range not satisfiable\r\n")
                && refused.contains("\r\ncontent-range: bytes */26\r\n") && refused.contains("\r\ncontent-length: 0\r\n")
                && refused.endsWith("\r\n\r\n"), refused);
        assertFalse(refused.contains("content-type"), refused);
        assertTrue(get("Range: bytes=-0").startsWith("http/1.1 416 "));
    }

    /** What cannot be read, several ranges, a changed file's If-Range, or another method: the whole file, as RFC 9110 asks. */
    @Test
    void aRangeThatCannotBeTakenGetsTheWholeFile() throws IOException {
        for (String[] headers : new String[][] {{"Range: bytes=5-2"}, {"Range: bytes=a-b"}, {"Range: lines=1-2"}, {"Range: bytes=0-1,3-4"},
                {"Range: bytes=-"}, {"Range: bytes=+1-2"}, {"Range: bytes=2-5", "If-Range: \"other\""},
                {"Range: bytes=2-5", "If-Range: W/" + ETAG}, {"Range: bytes=99999999999999999999-"}}) {
            String whole = get(headers);
            assertTrue(whole.startsWith("http/1.1 200 ok\r\n") && whole.endsWith("\r\n\r\nabcdefghijklmnopqrstuvwxyz"), String.join(", ", headers) + ": " + whole);
        }
        String post = answer("POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nRange: bytes=2-5\r\n\r\n", new Response(200).file(file));
        assertTrue(post.startsWith("http/1.1 200 ok\r\n") && !post.contains("accept-ranges"), post);
    }

    @Test
    void aCurrentCopyGetsA304WithoutTheBody() throws IOException {
        for (String[] headers : new String[][] {{"If-None-Match: " + ETAG}, {"If-None-Match: \"x\", W/" + ETAG}, {"If-None-Match: *"},
                {"If-Modified-Since: " + DATE}, {"If-Modified-Since: Sat, 3 Jan 2026 00:00:00 GMT"}, {"If-None-Match: " + ETAG, "Range: bytes=1-2"}}) {
            String current = get(headers);
            assertTrue(current.startsWith("http/1.1 304 not modified\r\n") && current.contains("\r\netag: " + ETAG + "\r\n")
                    && current.endsWith("\r\n\r\n") && !current.contains("content-type") && !current.contains("content-length"),
                    String.join(", ", headers) + ": " + current);
        }
        for (String[] headers : new String[][] {{"If-None-Match: \"x\""}, {"If-Modified-Since: Thu, 1 Jan 2026 00:00:00 GMT"},
                {"If-None-Match: \"x\"", "If-Modified-Since: " + DATE}, {"If-Modified-Since: yesterday"}}) {
            assertTrue(get(headers).startsWith("http/1.1 200 ok\r\n"), String.join(", ", headers));
        }
        String head = answer("HEAD /f HTTP/1.1\r\nHost: h\r\nIf-None-Match: " + ETAG + "\r\n\r\n", new Response(200).file(file));
        assertTrue(head.startsWith("http/1.1 304 not modified\r\n"), head);
    }

    /** A head the application set stays; a status other than 200, or a part it chose, goes as it is. */
    @Test
    void theApplicationsOwnChoicesStand() throws IOException {
        String own = answer("GET /f HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"mine\"\r\n\r\n",
                new Response(200).header("ETag", "\"mine\"").file(file));
        assertTrue(own.startsWith("http/1.1 304 not modified\r\n") && own.contains("\r\netag: \"mine\"\r\n"), own);
        String gone = answer("GET /f HTTP/1.1\r\nHost: h\r\nRange: bytes=2-5\r\n\r\n", new Response(410).file(file));
        assertTrue(gone.startsWith("http/1.1 410 gone\r\n") && gone.endsWith("\r\n\r\nabcdefghijklmnopqrstuvwxyz"), gone);
        String part = answer("GET /f HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0\r\n\r\n",
                new Response(206).header("Content-Range", "bytes 3-5/26").file(file, 3, 3));
        assertTrue(part.startsWith("http/1.1 206 partial content\r\n") && part.contains("\r\ncontent-length: 3\r\n")
                && part.contains("\r\ncontent-range: bytes 3-5/26\r\n") && part.endsWith("\r\n\r\ndef"), part);
        assertTrue(answer("GET /f HTTP/1.1\r\nHost: h\r\n\r\n", new Response(200).file(file, 20, 0)).endsWith("\r\n\r\nuvwxyz"), "0: to the end");
        assertTrue(answer("GET /f HTTP/1.1\r\nHost: h\r\n\r\n", new Response(200).file(file, 99, 5)).contains("\r\ncontent-length: 0\r\n"),
                "past the end: nothing");
    }
}
