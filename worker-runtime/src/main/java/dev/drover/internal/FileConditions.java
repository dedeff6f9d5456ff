package dev.drover.internal;

import dev.drover.http.Request;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a GET or HEAD of a whole file asks beyond the file, answered as nginx answers it for a
 * static file: its conditions (RFC 9110 13.1: {@code If-None-Match}, else
 * {@code If-Modified-Since}) and one byte range (RFC 9110 14: {@code Range}, after
 * {@code If-Range}). A header it cannot read is ignored, as RFC 9110 asks: the whole file goes.
 */
final class FileConditions {
    /** A byte range of the file: the part a 206 sends. */
    record Part(long start, long count) {}

    /** A range that starts past the end of the file: a 416. */
    static final Part UNSATISFIABLE = new Part(-1, -1);

    private FileConditions() {}

    /** nginx's strong validator for a file: its modification time and size in hex. */
    static String etag(long modifiedSeconds, long size) {
        return "\"" + Long.toHexString(modifiedSeconds) + "-" + Long.toHexString(size) + "\"";
    }

    /** An entity tag without its weakness, {@code W/}: the weak comparison compares what is left. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** Whether the client's copy is current (a 304): its If-None-Match names the ETag, or, without one, its If-Modified-Since is not older than the file. */
    static boolean notModified(Request request, String etag, long modifiedSeconds) {
        Optional<String> noneMatch = request.header("if-none-match");
        if (noneMatch.isPresent()) {
            String opaque = opaque(etag); // the application's own may be weak
            for (String tag : noneMatch.get().split(",")) {
                String trimmed = tag.trim();
                if (trimmed.equals("*") || opaque(trimmed).equals(opaque)) { // weak comparison (RFC 9110 8.8.3.2)
                    return true;
                }
            }
            return false;
        }
        Long since = request.header("if-modified-since").map(FileConditions::seconds).orElse(null);
        return since != null && modifiedSeconds <= since;
    }

    /**
     * The part of the file a GET's Range asks for: null for the whole file (no Range, an If-Range
     * that no longer holds, several ranges, for which drover sends no multipart/byteranges, or a
     * header it cannot read), {@link #UNSATISFIABLE} for a range past the end.
     */
    static Part range(Request request, long size, String etag, String lastModified) {
        String range = request.header("range").orElse(null);
        if (range == null || !range.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String ifRange = request.header("if-range").map(String::trim).orElse(null);
        boolean strongMatch = ifRange != null && ifRange.equals(etag) && !etag.startsWith("W/"); // RFC 9110 13.1.5: a weak tag never matches
        if (ifRange != null && !strongMatch && !ifRange.equals(lastModified)) { // the file changed, or no strong validator says it did not
            return null;
        }
        String spec = range.substring(6).trim();
        int dash = spec.indexOf('-');
        if (spec.indexOf(',') >= 0 || dash < 0) { // several ranges: the whole file (RFC 9110 14.2 lets a server ignore Range)
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (!digits(first) && !first.isEmpty() || !digits(last) && !last.isEmpty() || first.isEmpty() && last.isEmpty()) {
            return null;
        }
        try {
            if (first.isEmpty()) { // the last N bytes
                long suffix = Long.parseLong(last);
                return suffix == 0 || size == 0 ? UNSATISFIABLE : new Part(size - Math.min(suffix, size), Math.min(suffix, size));
            }
            long start = Long.parseLong(first);
            if (start >= size) {
                return UNSATISFIABLE;
            }
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            return end < start ? null : new Part(start, end - start + 1);
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    private static boolean digits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** An HTTP date (RFC 9110 5.6.7's preferred form) in epoch seconds, or null. */
    private static Long seconds(String date) {
        try {
            return ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
