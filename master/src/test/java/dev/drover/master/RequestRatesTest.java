package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Requests per second, whoever asks and however often. */
class RequestRatesTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void queriesCloseTogetherReadTheSameRate() {
        RequestRates rates = new RequestRates();
        assertEquals(100.0, rates.rate(7, 1000, 10 * SECOND, 0), 0.001, "since its start");
        assertEquals(200.0, rates.rate(7, 1200, 11 * SECOND, 0), 0.001);
        assertEquals(200.0, rates.rate(7, 1200, 11 * SECOND, 0), 0.001, "a second query in the same instant: not 0");
        assertEquals(200.0, rates.rate(7, 1300, 11 * SECOND + SECOND / 2, 0), 0.001, "half a second later: over the last 1.5 s");
        assertEquals(200.0, rates.rate(7, 1400, 12 * SECOND, 0), 0.001);
    }

    @Test
    void aPidThatComesBackIsANewWorker() {
        RequestRates rates = new RequestRates();
        rates.rate(7, 5000, 10 * SECOND, 0);
        rates.forget(7);
        assertEquals(10.0, rates.rate(7, 10, 21 * SECOND, 20 * SECOND), 0.001);
    }
}
