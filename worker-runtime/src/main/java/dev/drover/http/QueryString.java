package dev.drover.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes {@code a=1&b=x%20y} into parameters with their values in order, as PHP's parse_str does. */
final class QueryString {
    private QueryString() {}

    /** The parameters of {@code query}: the first {@link Request#MAX_PARAMETERS} pairs, as PHP's max_input_vars reads them. */
    static Map<String, List<String>> parse(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return parameters;
        }
        int read = 0;
        for (int from = 0; from <= query.length() && read < Request.MAX_PARAMETERS; ) {
            int end = query.indexOf('&', from);
            end = end < 0 ? query.length() : end;
            String pair = query.substring(from, end);
            from = end + 1;
            if (pair.isEmpty()) {
                continue;
            }
            read++;
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * {@code text} percent-decoded as PHP's urldecode does it: {@code +} is a space, each {@code %}
     * and two hex digits a byte (the bytes read as UTF-8), and a {@code %} without them stays as it is.
     */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text.indexOf('+') < 0 ? text : text.replace('+', ' ');
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2)));
                i += 2;
                continue;
            }
            utf8(bytes, out);
            out.append(c == '+' ? ' ' : c);
        }
        utf8(bytes, out);
        return out.toString();
    }

    /** Appends the bytes decoded so far as UTF-8 text. */
    private static void utf8(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
