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
