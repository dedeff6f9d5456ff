package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RehearsalTest {
    @Test
    void answersAreCountedByTheirHeadsEnds() {
        String answer = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assertEquals(0, Rehearsal.occurrences("", "\r\n\r\n"));
        assertEquals(1, Rehearsal.occurrences(answer, "\r\n\r\n"));
        assertEquals(3, Rehearsal.occurrences(answer + answer + answer, "\r\n\r\n"));
        assertEquals(2, Rehearsal.occurrences(answer + answer + "HTTP/1.1 204 No Content\r\n", "\r\n\r\n"), "the third not whole yet");
        assertEquals(1, Rehearsal.occurrences("\r\n\r\n\r\n", "\r\n\r\n"), "no overlaps");
    }
}
