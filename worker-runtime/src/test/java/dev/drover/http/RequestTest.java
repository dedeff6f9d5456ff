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
        assertEquals(" sp", request.cookie("d").orElseThrow(), "the first of a name, as PHP's $_COOKIE keeps: the more specific one");
        assertEquals(" sp", new Request("GET", "/", Map.of("cookie", List.of("d=%20sp")), new byte[0]).cookie("d").orElseThrow());
        assertEquals("a b", request.cookie("plus").orElseThrow());
        assertEquals("v", request.cookie("plain").orElseThrow());
    }

    /** PHP's parse_str keeps the last of a name given twice, so Workerman's get() and post() answer it; every value stays listed. */
    @Test
    void ofANameGivenTwiceTheLastCountsAsInWorkerman() {
        Request request = new Request("POST", "/q?a=1&a=2&b=3", Map.of("content-type", List.of("application/x-www-form-urlencoded")),
                "a=x&a=y".getBytes(StandardCharsets.UTF_8));
        assertEquals("2", request.query("a").orElseThrow());
        assertEquals(List.of("1", "2"), request.queryParameters().get("a"));
        assertEquals("3", request.query("b").orElseThrow());
        assertEquals("y", request.post("a").orElseThrow());
        assertEquals(List.of("x", "y"), request.form().get("a"));
        assertFalse(request.query("none").isPresent());
    }

    /** Byte by byte, as PHP's urldecode: a % without two hex digits stays as it is, and the + around it is still a space. */
    @Test
    void malformedPercentEscapesAreKeptAndTheRestDecoded() {
        Request request = new Request("GET", "/?a=100%+off&b=x+y%zz&c=%E2%82%AC+%&d=%c3%a9%", Map.of(), new byte[0]);
        assertEquals("100% off", request.query("a").orElseThrow());
        assertEquals("x y%zz", request.query("b").orElseThrow());
        assertEquals("\u20ac %", request.query("c").orElseThrow());
        assertEquals("\u00e9%", request.query("d").orElseThrow());
    }

    /** The first Request.MAX_PARAMETERS pairs are read, as PHP's max_input_vars reads them; the rest are dropped. */
    @Test
    void atMostMaxParametersAreRead() {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < Request.MAX_PARAMETERS + 5; i++) {
            query.append(i).append("=v&&");
        }
        Request request = new Request("POST", "/?" + query, Map.of(), query.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(Request.MAX_PARAMETERS, request.queryParameters().size());
        assertEquals(Request.MAX_PARAMETERS, request.form().size());
        assertTrue(request.form().containsKey(Integer.toString(Request.MAX_PARAMETERS - 1)) && !request.form().containsKey(Integer.toString(Request.MAX_PARAMETERS)));
    }

    /** Workerman reads a body without a Content-Type as urlencoded; JSON and other types are no form. */
    @Test
    void aBodyWithoutATypeIsReadAsAForm() {
        Request untyped = new Request("POST", "/", Map.of(), "a=1&b=two%20words".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("a", List.of("1"), "b", List.of("two words")), untyped.form());
        assertEquals(Map.of(), withType("application/json", "{\"a\":1}").form());
        assertEquals(Map.of(), withType("text/plain", "a=1").form());
    }

    @Test
    void theHostWithAndWithoutItsPort() {
        String[][] cases = {{"example.com:8080", "example.com"}, {"example.com", "example.com"}, {"[::1]:80", "[::1]"}, {"[::1]", "[::1]"}};
        for (String[] host : cases) {
            Request request = new Request("GET", "/", Map.of("host", List.of(host[0])), new byte[0]);
            assertEquals(host[0], request.host());
            assertEquals(host[1], request.host(true));
        }
        assertEquals(null, new Request("GET", "/", Map.of(), new byte[0]).host(true));
        Request absolute = new Request("GET", "http://u@example.com:8080/a?b", Map.of("host", List.of("other")), new byte[0]);
        assertEquals("example.com:8080", absolute.host(), "an absolute target's authority goes before Host (RFC 9112 3.2.2)");
        assertEquals("example.com", absolute.host(true));
        assertEquals("example.com", new Request("GET", "http://example.com?q", Map.of(), new byte[0]).host());
    }
}
