package dev.drover.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request's path and query in every target form, its media type in any case, its cookies decoded. */
class RequestTest {
    private static Request get(String uri) {
        return new Request("GET", uri, Map.of(), new byte[0]);
    }

    private static Request withType(String contentType, String body) {
        return new Request("POST", "/", Map.of("content-type", List.of(contentType)), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pathAndQueryOfEachTargetForm() {
        String[][] cases = {
            {"/search?q=1", "/search", "q=1"},
            {"/", "/", ""},
            {"/a?", "/a", ""},
            {"http://other/x?y=1", "/x", "y=1"},
            {"HTTPS://other:8443/x/y", "/x/y", ""},
            {"http://other", "/", ""},
            {"http://other?y=1", "/", "y=1"},
            {"/p#frag", "/p", ""},
            {"/p?a=1#frag", "/p", "a=1"},
            {"/redirect?to=http://elsewhere/x", "/redirect", "to=http://elsewhere/x"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], get(c[0]).path(), c[0]);
            assertEquals(c[2], get(c[0]).queryString(), c[0]);
        }
    }

    @Test
    void mediaTypesIgnoreCaseAndParameters() {
        assertTrue(withType("Application/JSON; charset=utf-8", "{}").isJson());
        assertTrue(withType("application/problem+json", "{}").isJson());
        assertFalse(withType("application/jsonp", "x").isJson());
        assertEquals(Map.of("a", List.of("1")), withType("APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8", "a=1").form());
    }

    @Test
    void cookiesAreDecodedAsWorkermanDecodesThem() {
        Request request = new Request("GET", "/", Map.of("cookie", List.of("d=%20sp; plus=a+b; plain=v; d=second")), new byte[0]);
        assertEquals("second", request.cookie("d").orElseThrow(), "the last of a name, as parse_str keeps");
        assertEquals(" sp", new Request("GET", "/", Map.of("cookie", List.of("d=%20sp")), new byte[0]).cookie("d").orElseThrow());
        assertEquals("a b", request.cookie("plus").orElseThrow());
        assertEquals("v", request.cookie("plain").orElseThrow());
    }
}
