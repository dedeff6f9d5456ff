package dev.drover.internal;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's headers as {@link dev.drover.http.Request} shows them (lower-case names, values in
 * order), read from Netty's headers when asked: most requests never list them all, so the map of
 * every header is only built for the ones that do. Values sent in UTF-8 are read as that ({@link Utf8Text}).
 */
final class HeaderMap extends AbstractMap<String, List<String>> {
    private final HttpHeaders headers;
    private volatile Map<String, List<String>> all;

    HeaderMap(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public List<String> get(Object name) {
        if (!(name instanceof String text)) {
            return null;
        }
        List<String> values = headers.getAll(text);
        if (values.isEmpty()) {
            return null;
        }
        for (int i = 0; i < values.size(); i++) {
            if (Utf8Text.of(values.get(i)) != values.get(i)) {
                return values.stream().map(Utf8Text::of).toList();
            }
        }
        return values;
    }

    @Override
    public boolean containsKey(Object name) {
        return name instanceof String text && headers.contains(text);
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        if (all == null) {
            Map<String, List<String>> built = new LinkedHashMap<>();
            headers.forEach(h -> built.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(Utf8Text.of(h.getValue())));
            all = built;
        }
        return all.entrySet();
    }
}
