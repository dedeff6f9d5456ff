package dev.drover.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An HTTP request as {@code onMessage} receives it on an {@code http://} worker. */
public final class Request {
    private final String method;
    private final String uri;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private Map<String, List<String>> query;

    /**
     * @param headers header names in lower case, each with its values in order
     */
    public Request(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        this.method = method;
        this.uri = uri;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
    }

    /** {@code GET}, {@code POST}, ... */
    public String method() {
        return method;
    }

    /** The request target as sent, e.g. {@code /search?q=drover}. */
    public String uri() {
        return uri;
    }

    /** The path without the query, e.g. {@code /search}. */
    public String path() {
        int question = uri.indexOf('?');
        return question < 0 ? uri : uri.substring(0, question);
    }

    /** The raw query string without {@code ?}, or an empty string. */
    public String queryString() {
        int question = uri.indexOf('?');
        return question < 0 ? "" : uri.substring(question + 1);
    }

    /** The first value of query parameter {@code name}, decoded. */
    public Optional<String> query(String name) {
        List<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every query parameter with its values, decoded. */
    public Map<String, List<String>> queryParameters() {
        if (query == null) {
            query = QueryString.parse(queryString());
        }
        return query;
    }

    /** The first value of a header (name in any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every header, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The body as UTF-8 text. */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public byte[] bodyBytes() {
        return body.clone();
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
