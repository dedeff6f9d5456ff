package dev.drover.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The {@code Date} every final answer carries, as RFC 9110 6.6.1 asks of a server with a clock and
 * as nginx sends it. Each event loop makes it once for the second it is in, when an answer needs
 * it, and forgets it at the second's end: no clock is read per answer, and an idle loop is not
 * woken to renew it.
 */
final class HttpDate {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final FastThreadLocal<HttpDate> LOOP = new FastThreadLocal<>() {
        @Override
        protected HttpDate initialValue() {
            return new HttpDate();
        }
    };

    /** The loop that forgets this date: a thread has one, but tests run several on theirs. */
    private EventExecutor loop;
    private String value;
    /** {@code "\r\ndate: " + value}, as {@link PlainAnswer} writes it after its length. */
    private byte[] line;

    private HttpDate() {}

    /** This second's date, made on {@code loop} (the one running) if it has none yet. */
    static String value(EventExecutor loop) {
        return now(loop).value;
    }

    /** {@code "\r\ndate: "} and this second's date. */
    static byte[] line(EventExecutor loop) {
        return now(loop).line;
    }

    private static HttpDate now(EventExecutor loop) {
        HttpDate date = LOOP.get();
        if (date.value == null || date.loop != loop) {
            long millis = System.currentTimeMillis();
            date.value = format(Math.floorDiv(millis, 1000));
            date.line = ("\r\ndate: " + date.value).getBytes(StandardCharsets.US_ASCII);
            date.loop = loop;
            loop.schedule(date::forget, 1000 - Math.floorMod(millis, 1000), TimeUnit.MILLISECONDS);
        }
        return date;
    }

    private void forget() {
        value = null;
        line = null;
    }

    /**
     * {@code epochSecond} as an IMF-fixdate (RFC 9110 5.6.7): {@code Sun, 06 Nov 1994 08:49:37 GMT},
     * the day of the month in two digits. Reckoned here (the civil calendar from days, as Howard
     * Hinnant's {@code civil_from_days}), not with java.time: its classes, some forty, would go into
     * every worker's class archive, and the archive's pages into each worker's memory (0.2 MiB).
     */
    static String format(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int second = (int) Math.floorMod(epochSecond, 86_400);
        long shifted = days + 719_468; // from 0000-03-01, so that a leap day ends its year
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder out = new StringBuilder(29).append(DAYS[(int) Math.floorMod(days + 3, 7)]).append(", "); // 1970-01-01 was a Thursday
        twoDigits(out, day).append(' ').append(MONTHS[month - 1]).append(' ').append(year).append(' ');
        twoDigits(out, second / 3600).append(':');
        twoDigits(out, second / 60 % 60).append(':');
        return twoDigits(out, second % 60).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
