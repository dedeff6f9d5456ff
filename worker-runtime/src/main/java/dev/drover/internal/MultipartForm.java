package dev.drover.internal;

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

    static MultipartForm parse(byte[] body, String contentType) {
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw refused("its Content-Type '" + contentType + "' names no boundary");
        }
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int first = indexOf(body, delimiter, 0);
        // The first delimiter may open the body without a CRLF before it (RFC 2046 5.1.1).
        int at = startsWith(body, 0, delimiter, 2) ? delimiter.length - 2 : first < 0 ? -1 : first + delimiter.length;
        if (at < 0) {
            throw refused("its boundary '" + boundary + "' is not in the body");
        }
        MultipartForm form = new MultipartForm(new LinkedHashMap<>(), new ArrayList<>());
        while (!startsWith(body, at, "--".getBytes(StandardCharsets.ISO_8859_1), 0)) {
            int headStart = lineEnd(body, at);
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headStart - 2);
            int next = headEnd < 0 ? -1 : indexOf(body, delimiter, headEnd + 2);
            if (headStart < 0 || headEnd < 0 || next < 0) {
                throw refused("a part is cut off before its " + (headEnd < 0 ? "headers end" : "closing boundary"));
            }
            form.add(Utf8Text.of(new String(body, headStart, headEnd + 2 - headStart, StandardCharsets.ISO_8859_1)),
                    Arrays.copyOfRange(body, headEnd + 4, next));
            at = next + delimiter.length;
        }
        return form;
    }

    /** Adds one part, its headers as text (each line ending in CRLF) and its content. */
    private void add(String head, byte[] content) {
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
            return; // not a form field (RFC 7578 4.2): nothing to file it under
        }
        String encodedName = parameter(disposition, "filename*");
        String fileName = encodedName != null ? extendedValue(encodedName) : parameter(disposition, "filename");
        if (fileName == null) {
            fields.computeIfAbsent(field, k -> new ArrayList<>()).add(new String(content, StandardCharsets.UTF_8));
        } else if (!fileName.isEmpty() || content.length > 0) {
            files.add(new UploadedFile(field, fileName, type == null || type.isEmpty() ? DEFAULT_FILE_TYPE : type, content));
        }
    }

    /**
     * The value of parameter {@code name} in a header value such as {@code form-data; name="a"},
     * unquoted ({@code \"} and {@code \\} are escapes; any other backslash is kept, as Windows paths
     * have them); null when it has none.
     */
    static String parameter(String header, String name) {
        int at = header.indexOf(';');
        while (at >= 0 && at < header.length()) {
            int equals = header.indexOf('=', at);
            int semicolon = header.indexOf(';', at + 1);
            if (equals < 0) {
                return null;
            }
            if (semicolon >= 0 && semicolon < equals) {
                at = semicolon; // a parameter without a value
                continue;
            }
            String key = header.substring(at + 1, equals).trim();
            StringBuilder value = new StringBuilder();
            int end = equals + 1;
            while (end < header.length() && header.charAt(end) == ' ') {
                end++;
            }
            if (end < header.length() && header.charAt(end) == '"') {
                for (end++; end < header.length() && header.charAt(end) != '"'; end++) {
                    char c = header.charAt(end);
                    boolean escape = c == '\\' && end + 1 < header.length() && (header.charAt(end + 1) == '"' || header.charAt(end + 1) == '\\');
                    value.append(escape ? header.charAt(++end) : c);
                }
                end = header.indexOf(';', end);
            } else {
                value.append(header, end, semicolon < 0 ? header.length() : semicolon);
                end = semicolon;
            }
            if (key.equalsIgnoreCase(name)) {
                return value.toString().trim();
            }
            at = end;
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

    /** Where the line that begins at {@code from} ends, after its CRLF; -1 when it does not end. */
    private static int lineEnd(byte[] body, int from) {
        int crlf = indexOf(body, "\r\n".getBytes(StandardCharsets.ISO_8859_1), from);
        return crlf < 0 ? -1 : crlf + 2;
    }

    private static int indexOf(byte[] body, byte[] what, int from) {
        for (int i = Math.max(from, 0); i <= body.length - what.length; i++) {
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

    private static RequestHeadRules.Refused refused(String why) {
        return new RequestHeadRules.Refused(HttpResponseStatus.BAD_REQUEST, "multipart/form-data body refused: " + why);
    }
}
