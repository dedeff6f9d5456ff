package dev.drover.internal;

import dev.drover.http.Request;
import dev.drover.http.UploadedFile;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields and files of a whole {@code multipart/form-data} body (RFC 7578). A file keeps the
 * name the client gave byte for byte, commas, colons and backslashes too, as PHP and so Workerman
 * keep it; a body that is not multipart is refused with 400, naming what is wrong.
 *
 * @param fields every field's values, in order
 * @param files every uploaded file, in order; a file input left empty is none (PHP's UPLOAD_ERR_NO_FILE)
 */
record MultipartForm(Map<String, List<String>> fields, List<UploadedFile> files) {
    private static final String DEFAULT_FILE_TYPE = "application/octet-stream";
    /** The files read of one body, as Workerman's maxFileUploads: those after them are dropped (fields: {@link Request#MAX_PARAMETERS}). */
    static final int MAX_FILES = 1024;
    /** RFC 2046 5.1.1 allows 70 characters; more is no boundary a client makes. */
    private static final int MAX_BOUNDARY = 200;
    /** A part's headers, as an HTTP head's ({@link HttpServerSide#MAX_HEADERS}): a body is up to maxPackageSize, its part heads not. */
    private static final int MAX_PART_HEAD = HttpServerSide.MAX_HEADERS;
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CLOSE = "--".getBytes(StandardCharsets.ISO_8859_1);

    static MultipartForm parse(byte[] body, String contentType) {
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw refused("its Content-Type '" + shortened(contentType) + "' names no boundary of 1 to " + MAX_BOUNDARY + " characters");
        }
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int first = indexOf(body, delimiter, 0, body.length);
        // The first delimiter may open the body without a CRLF before it (RFC 2046 5.1.1).
        int at = startsWith(body, 0, delimiter, 2) ? delimiter.length - 2 : first < 0 ? -1 : first + delimiter.length;
        if (at < 0) {
            throw refused("its boundary '" + shortened(boundary) + "' is not in the body");
        }
        MultipartForm form = new MultipartForm(new LinkedHashMap<>(), new ArrayList<>());
        int fieldValues = 0;
        while (!startsWith(body, at, CLOSE, 0)) {
            int crlf = indexOf(body, CRLF, at, body.length);
            int headStart = crlf < 0 ? -1 : crlf + 2;
            int headEnd = headStart < 0 ? -1 : indexOf(body, HEAD_END, headStart - 2, headStart + MAX_PART_HEAD);
            int next = headEnd < 0 ? -1 : indexOf(body, delimiter, headEnd + 2, body.length);
            if (headStart >= 0 && headEnd < 0 && body.length - headStart > MAX_PART_HEAD) {
                throw refused("a part's headers are over " + MAX_PART_HEAD + " bytes");
            }
            if (headEnd < 0 || next < 0) {
                throw refused("a part is cut off before its " + (headEnd < 0 ? "headers end" : "closing boundary"));
            }
            // A delimiter right after the headers' blank line shares its CRLF: the part is empty.
            byte[] content = next < headEnd + 4 ? new byte[0] : Arrays.copyOfRange(body, headEnd + 4, next);
            if (form.add(Utf8Text.of(new String(body, headStart, headEnd + 2 - headStart, StandardCharsets.ISO_8859_1)), content,
                    fieldValues < Request.MAX_PARAMETERS)) {
                fieldValues++;
            }
            at = next + delimiter.length;
        }
        return form;
    }

    /**
     * Adds one part, its headers as text (each line ending in CRLF) and its content: a field while
     * {@code takesFields}, a file while fewer than {@link #MAX_FILES} were. Whether a field was added.
     */
    private boolean add(String head, byte[] content, boolean takesFields) {
        String disposition = null;
        String type = null;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("content-disposition")) {
                disposition = line.substring(colon + 1);
            } else if (name.equalsIgnoreCase("content-type")) {
                type = line.substring(colon + 1).trim();
            }
        }
        String field = disposition == null ? null : parameter(disposition, "name");
        if (field == null) {
            return false; // not a form field (RFC 7578 4.2): nothing to file it under
        }
        String encodedName = parameter(disposition, "filename*");
        String fileName = encodedName != null ? extendedValue(encodedName) : parameter(disposition, "filename");
        if (fileName == null) {
            if (!takesFields) {
                return false;
            }
            fields.computeIfAbsent(field, k -> new ArrayList<>()).add(new String(content, StandardCharsets.UTF_8));
            return true;
        } else if ((!fileName.isEmpty() || content.length > 0) && files.size() < MAX_FILES) {
            files.add(new UploadedFile(field, fileName, type == null || type.isEmpty() ? DEFAULT_FILE_TYPE : type, content));
        }
        return false;
    }

    /**
     * The value of parameter {@code name} in a header value such as {@code form-data; name="a"},
     * unquoted ({@code \"} and {@code \\} are escapes; any other backslash is kept, as Windows paths
     * have them); null when it has none. One pass over the value, whatever it holds.
     */
    static String parameter(String header, String name) {
        int length = header.length();
        int i = header.indexOf(';');
        while (i >= 0 && i < length) {
            int keyStart = ++i;
            while (i < length && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            if (i == length) {
                return null;
            }
            if (header.charAt(i) == ';') {
                continue; // a parameter without a value
            }
            String key = header.substring(keyStart, i).trim();
            for (i++; i < length && header.charAt(i) == ' '; i++) {
                // the value starts after spaces
            }
            StringBuilder value = new StringBuilder();
            if (i < length && header.charAt(i) == '"') {
                for (i++; i < length && header.charAt(i) != '"'; i++) {
                    char c = header.charAt(i);
                    boolean escape = c == '\\' && i + 1 < length && (header.charAt(i + 1) == '"' || header.charAt(i + 1) == '\\');
                    value.append(escape ? header.charAt(++i) : c);
                }
                while (i < length && header.charAt(i) != ';') {
                    i++;
                }
            } else {
                int start = i;
                while (i < length && header.charAt(i) != ';') {
                    i++;
                }
                value.append(header, start, i);
            }
            if (key.equalsIgnoreCase(name)) {
                return value.toString().trim();
            }
        }
        return null;
    }

    /** An RFC 8187 value, {@code UTF-8''%E2%82%AC.txt}, decoded; as it is when it is not one. */
    private static String extendedValue(String value) {
        int quote = value.indexOf("''");
        if (quote < 0 || !value.substring(0, quote).equalsIgnoreCase("utf-8")) {
            return value;
        }
        try {
            return URLDecoder.decode(value.substring(quote + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return value;
        }
    }

    /** Where {@code what} begins in {@code body} at or after {@code from}, ending by {@code limit}; -1 when nowhere. */
    private static int indexOf(byte[] body, byte[] what, int from, int limit) {
        for (int i = Math.max(from, 0); i <= Math.min(limit, body.length) - what.length; i++) {
            if (startsWith(body, i, what, 0)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code body} at {@code at} holds {@code what} from its index {@code skip} on. */
    private static boolean startsWith(byte[] body, int at, byte[] what, int skip) {
        if (at < 0 || at + what.length - skip > body.length) {
            return false;
        }
        for (int i = skip; i < what.length; i++) {
            if (body[at + i - skip] != what[i]) {
                return false;
            }
        }
        return true;
    }

    /** A client's text as a refusal quotes it: at most 100 characters. */
    private static String shortened(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    private static RequestHeadRules.Refused refused(String why) {
        return new RequestHeadRules.Refused(HttpResponseStatus.BAD_REQUEST, "multipart/form-data body refused: " + why);
    }
}
