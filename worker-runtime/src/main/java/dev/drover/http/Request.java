package dev.drover.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as {@code onMessage} receives it on an {@code http://} worker. A target or header
 * value a client sent as raw UTF-8 (rather than percent-encoded) reads as that text; other bytes
 * outside ASCII as one char each (ISO-8859-1), so none is lost.
 */
public final class Request {
    /**
     * How many query parameters, and form fields, a request's {@link #queryParameters} and
     * {@link #form} read: the first 1,000, as PHP's {@code max_input_vars}; the rest are dropped. A
     * body of many small fields made a map many times its size (4 MB of them, 214 MB of heap).
     */
    public static final int MAX_PARAMETERS = 1000;

    private final String method;
    private final String uri;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Map<String, List<String>> multipartFields;
    private final Map<String, UploadedFile> files;
    private final List<UploadedFile> uploads;
    private Map<String, List<String>> query;
    private Map<String, List<String>> form;
    private Map<String, String> cookies;
    private Session session;
    /** The Set-Cookie the response needs: session() started a session, or regenerateId() gave it a new id. */
    private String sessionCookie;

    /**
     * @param headers header names in lower case, each with its values in order
     */
    public Request(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        this(method, uri, headers, body, null, Map.of(), List.of());
    }

    /**
     * @param multipartFields the fields of a multipart body, or null to read an urlencoded body
     * @param files the files of a multipart body, by field name
     */
    public Request(String method, String uri, Map<String, List<String>> headers, byte[] body,
                   Map<String, List<String>> multipartFields, Map<String, UploadedFile> files) {
        this(method, uri, headers, body, multipartFields, Objects.requireNonNull(files, "files"), List.copyOf(files.values()));
    }

    /**
     * @param multipartFields the fields of a multipart body, or null to read an urlencoded body
     * @param uploads every file of a multipart body, in order, several under one field name too ({@code up[]})
     */
    public Request(String method, String uri, Map<String, List<String>> headers, byte[] body,
                   Map<String, List<String>> multipartFields, List<UploadedFile> uploads) {
        this(method, uri, headers, body, multipartFields, lastByField(uploads), List.copyOf(uploads));
    }

    private Request(String method, String uri, Map<String, List<String>> headers, byte[] body,
                    Map<String, List<String>> multipartFields, Map<String, UploadedFile> files, List<UploadedFile> uploads) {
        // Kept as given and wrapped read-only where they are handed out: two wrappers on every
        // request were a sixth of what a worker allocated to serve a hello request.
        this.method = method;
        this.uri = uri;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body;
        this.multipartFields = multipartFields;
        this.files = files;
        this.uploads = uploads;
    }

    private static Map<String, UploadedFile> lastByField(List<UploadedFile> uploads) {
        Map<String, UploadedFile> last = new java.util.LinkedHashMap<>();
        uploads.forEach(file -> last.put(file.field(), file));
        return last;
    }

    /** {@code GET}, {@code POST}, ... */
    public String method() {
        return method;
    }

    /** The request target as sent, e.g. {@code /search?q=drover}. */
    public String uri() {
        return uri;
    }

    /**
     * The path without the query, e.g. {@code /search}; of a target in absolute form
     * ({@code http://host/search?q=1}, which a server must accept: RFC 9112 3.2.2) the path alone.
     */
    public String path() {
        int start = pathStart();
        int question = uri.indexOf('?', start);
        int end = question < 0 ? fragmentStart() : question;
        return start == end ? "/" : uri.substring(start, end);
    }

    /** The raw query string without {@code ?}, or an empty string. */
    public String queryString() {
        int question = uri.indexOf('?', pathStart());
        return question < 0 ? "" : uri.substring(question + 1, Math.max(question + 1, fragmentStart()));
    }

    /** Where the path begins: 0, or after {@code scheme://authority} in absolute form. */
    private int pathStart() {
        int scheme = uri.startsWith("/") ? -1 : uri.indexOf("://");
        if (scheme < 0) {
            return 0;
        }
        int slash = uri.indexOf('/', scheme + 3);
        int question = uri.indexOf('?', scheme + 3);
        return slash >= 0 && (question < 0 || slash < question) ? slash : question >= 0 ? question : uri.length();
    }

    /** Where a fragment ({@code #...}, which clients should not send) begins: the end when there is none. */
    private int fragmentStart() {
        int hash = uri.indexOf('#');
        return hash < 0 ? uri.length() : hash;
    }

    /**
     * The value of query parameter {@code name}, decoded; of a name given twice, the last, as PHP's
     * parse_str and so Workerman's {@code get()} (every value is in {@link #queryParameters}).
     */
    public Optional<String> query(String name) {
        return last(queryParameters().get(name));
    }

    private static Optional<String> last(List<String> values) {
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
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

    /**
     * The host the request is for, as Workerman's {@code host()}: the Host header as sent, e.g.
     * {@code example.com:8080}; for a target in absolute form ({@code GET http://example.com/ ...}),
     * the target's authority, which RFC 9112 3.2.2 puts before the Host header. Null without either.
     */
    public String host() {
        int scheme = uri.startsWith("/") ? -1 : uri.indexOf("://");
        if (scheme < 0) {
            return header("host").orElse(null);
        }
        String authority = uri.substring(scheme + 3, pathStart());
        return authority.substring(authority.lastIndexOf('@') + 1); // userinfo is no part of the host
    }

    /** The Host header; {@code withoutPort}: without its port ({@code example.com}, {@code [::1]}), as Workerman's {@code host(true)}. */
    public String host(boolean withoutPort) {
        String host = host();
        if (!withoutPort || host == null) {
            return host;
        }
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
    }

    /** Every header, names in lower case. */
    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /**
     * The form fields of an urlencoded or multipart body (Workerman's {@code post()}); a body
     * without a Content-Type is read as urlencoded, as there. A JSON body is no form: read it with
     * {@link #body} ({@link #isJson}).
     */
    public Map<String, List<String>> form() {
        if (form == null) {
            String type = mediaType();
            boolean urlencoded = type.equals("application/x-www-form-urlencoded") || type.isEmpty();
            form = multipartFields != null ? Collections.unmodifiableMap(multipartFields)
                    : urlencoded ? QueryString.parse(body()) : Map.of();
        }
        return form;
    }

    /** The value of form field {@code name}; of a name given twice, the last, as Workerman's {@code post()} ({@link #form} has every value). */
    public Optional<String> post(String name) {
        return last(form().get(name));
    }

    /** The uploaded files of a multipart body, by field name (of two under one name, the last; a file input left empty is none). */
    public Map<String, UploadedFile> files() {
        return Collections.unmodifiableMap(files);
    }

    /** Every file uploaded under {@code field}, in order: several for {@code <input type=file multiple name="up[]">}. */
    public List<UploadedFile> files(String field) {
        return uploads.stream().filter(file -> file.field().equals(field)).toList();
    }

    /**
     * The cookies the client sent, by name; of two with one name the first, as PHP's
     * {@code $_COOKIE} keeps it (Workerman's parse_str kept the last): a browser sends the cookie of
     * the more specific path or domain first, and a sibling subdomain's cookie of the same name
     * (a session id planted there) comes after it.
     */
    public Map<String, String> cookies() {
        if (cookies == null) {
            Map<String, String> parsed = new java.util.LinkedHashMap<>();
            for (String header : headers.getOrDefault("cookie", List.of())) {
                for (String pair : header.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0) { // decoded as PHP's parse_str, and so Workerman, decodes them
                        parsed.putIfAbsent(QueryString.decode(pair.substring(0, equals).trim()),
                                QueryString.decode(pair.substring(equals + 1).trim()));
                    }
                }
            }
            cookies = Collections.unmodifiableMap(parsed);
        }
        return cookies;
    }

    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies().get(name));
    }

    /**
     * This client's session, as Workerman's {@code $request->session()}: the one its cookie names,
     * or a new one, whose cookie drover adds to the response for this request once something is set
     * in it. A cookie for a session that is gone or never was gets a new session, not that id, so
     * nobody chooses a session id for someone else.
     *
     * @throws java.io.UncheckedIOException when the session cannot be read, naming where it is kept
     */
    public Session session() {
        if (session == null) {
            SessionSettings settings = Session.settings();
            String id = cookies().get(settings.name());
            Map<String, String> values = Session.validId(id) ? settings.handler().read(id, settings.lifetime()) : null;
            if (values != null && !values.isEmpty()) { // an empty one is none: the client's id is never taken for a new session
                session = new Session(id, false, new java.util.LinkedHashMap<>(values), this);
            } else {
                session = new Session(Session.newId(), true, new java.util.LinkedHashMap<>(), this);
            }
        }
        return session;
    }

    /** The response to this request hands the client {@code session}'s id. */
    void sessionStarted(Session started) {
        sessionCookie = started.cookie();
    }

    /**
     * The Set-Cookie value that hands the client its new session id (once something was set in a
     * session {@link #session} started, or after {@link Session#regenerateId}), or null. drover adds
     * it to the response it sends for this request (set values before sending it); an application
     * that answers with {@code sendRaw} writes it itself.
     */
    public String sessionCookie() {
        return sessionCookie;
    }

    /** Whether the body is JSON by its Content-Type ({@code application/json}, or a {@code +json} type); read it with {@link #body}. */
    public boolean isJson() {
        String type = mediaType();
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    /** The Content-Type's media type in lower case, without its parameters (media types ignore case: RFC 9110 8.3.1); empty when none. */
    private String mediaType() {
        String type = header("content-type").orElse("");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
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
