package dev.drover.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Response as Workerman's: a missing file is a 404, cookie values are encoded, header names compare without case. */
class ResponseTest {

    @Test
    void aServerSentEventKeepsItsFieldsApart() {
        assertEquals("event: tick\nid: 7\ndata: a\ndata: b\ndata: c\ndata: d\n\n",
                new String(new ServerSentEvent("tick", "a\r\nb\rc\nd", "7", 0).encode(), StandardCharsets.UTF_8));
        assertEquals("retry: 5000\n\n", new String(new ServerSentEvent(null, null, null, 5000).encode(), StandardCharsets.UTF_8),
                "no data: no empty message for the browser");
        assertEquals("a server-sent event's event is one line; 'ev\\ndata: injected' would add fields to the event",
                assertThrows(IllegalArgumentException.class, () -> new ServerSentEvent("ev\ndata: injected", "x", null, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ServerSentEvent(null, "x", "1\r2", 0));
    }

    @Test
    void aNullOrAnAttributeThatWouldAddAnotherIsRefusedNamingWhatItWasFor() {
        Response response = new Response(200);
        assertEquals("header X-A's value is null; pass \"\" for an empty one",
                assertThrows(IllegalArgumentException.class, () -> response.header("X-A", null)).getMessage());
        assertEquals("header X-B's value is null; pass \"\" for an empty one",
                assertThrows(IllegalArgumentException.class, () -> response.addHeader("X-B", null)).getMessage());
        assertEquals("the body is null; pass \"\" for an empty one",
                assertThrows(IllegalArgumentException.class, () -> response.body((String) null)).getMessage());
        assertEquals("cookie sid's value is null; pass \"\" for an empty one",
                assertThrows(IllegalArgumentException.class, () -> response.cookie("sid", null)).getMessage());
        assertEquals("cookie sid's path '/; Domain=evil.example' may hold no ';' and no control characters",
                assertThrows(IllegalArgumentException.class,
                        () -> response.cookie("sid", "1", -1, "/; Domain=evil.example", null, false, true, null)).getMessage());
        assertEquals("cookie sid's sameSite 'Lax?Set-Cookie: x=1' may hold no ';' and no control characters",
                assertThrows(IllegalArgumentException.class,
                        () -> response.cookie("sid", "1", -1, "/", null, false, true, "Lax\nSet-Cookie: x=1")).getMessage());
    }

    @Test
    void aFileThatIsNotThereIsA404(@TempDir Path dir) {
        for (Path path : List.of(dir.resolve("missing.html"), dir)) {
            Response response = new Response(200).file(path);
            assertEquals(404, response.status());
            assertNull(response.file());
            assertEquals("<h3>404 Not Found</h3>", new String(response.bodyBytes(), StandardCharsets.UTF_8));
            assertEquals("text/html;charset=utf-8", response.headerValue("content-type"));
        }
    }

    @Test
    void cookieValuesAreEncodedSoNoneCanAddAnAttribute() {
        Response response = new Response(200).cookie("v", "hello world;evil=1 a+b~*");
        assertEquals("v=hello%20world%3Bevil%3D1%20a%2Bb~%2A; Path=/; HttpOnly", response.headerValue("Set-Cookie"));
        Request back = new Request("GET", "/", Map.of("cookie", List.of("v=hello%20world%3Bevil%3D1%20a%2Bb~%2A")), new byte[0]);
        assertEquals("hello world;evil=1 a+b~*", back.cookie("v").orElseThrow(), "what Request.cookies decodes");
        assertThrows(IllegalArgumentException.class, () -> new Response(200).cookie("a;b", "v"));
    }

    @Test
    void headerNamesCompareWithoutCase() {
        Response response = new Response(200).addHeader("set-cookie", "x=1").cookie("y", "2").addHeader("X-A", "1").addHeader("x-a", "2");
        assertEquals(Map.of("set-cookie", List.of("x=1", "y=2; Path=/; HttpOnly"), "X-A", List.of("1", "2")), response.headers());
    }
}
