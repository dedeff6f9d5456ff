package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Date header: RFC 9110's IMF-fixdate, made once a second per event loop. */
class HttpDateTest {

    @Test
    void datesAreImfFixdates() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(784111777), "RFC 9110 5.6.7's example");
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDate.format(0));
        assertEquals("Fri, 31 Dec 9999 23:59:59 GMT", HttpDate.format(253402300799L));
        assertEquals("Thu, 29 Feb 2024 23:59:59 GMT", HttpDate.format(1709251199), "a leap day");
        assertEquals("Fri, 01 Mar 2024 00:00:00 GMT", HttpDate.format(1709251200));
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", HttpDate.format(-1), "before the epoch");
        for (long second = Instant.now().getEpochSecond(), step = 0; step < 2_000; step++, second -= 86_400 * 3 + 3_601) { // ~16 years back
            assertEquals(DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(second).atZone(java.time.ZoneOffset.UTC))
                    .replaceFirst(", (\\d) ", ", 0$1 "), HttpDate.format(second), "as java.time reckons it");
        }
    }

    @Test
    void aLoopMakesItsDateOnceAndForgetsItAtTheSecondsEnd() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        String first = HttpDate.value(channel.eventLoop());
        assertSame(first, HttpDate.value(channel.eventLoop()), "made once");
        assertEquals("\r\ndate: " + first, new String(HttpDate.line(channel.eventLoop()), StandardCharsets.US_ASCII));
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        String next = HttpDate.value(channel.eventLoop());
        assertNotSame(first, next, "made again after the second");
        channel.runScheduledPendingTasks();
        assertSame(next, HttpDate.value(channel.eventLoop()), "the next forgetting waits for its second");
        channel.finishAndReleaseAll();
    }
}
