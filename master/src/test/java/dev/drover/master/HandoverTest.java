package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.master.os.Os;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a restart's master hands its successor, sent and read over a real socket pair. */
@Timeout(30)
class HandoverTest {
    private final Os os = Os.linux();

    @Test
    void carriesTheLockTheGroupsListenersAndTheWorkersOwnListeners() {
        int[] channel = os.socketPair();
        int[][] sockets = {os.socketPair(), os.socketPair(), os.socketPair(), os.socketPair()};
        try {
            List<Handover.Lent> lent = List.of(new Handover.Lent(0, 0, "tcp 127.0.0.1:5678", sockets[2][0]),
                    new Handover.Lent(1, 3, "unix /run/a b\nc.sock", sockets[3][0]));
            new Handover(sockets[0][0], Map.of(2, sockets[1][0]), lent).send(os, channel[0]);
            Handover received = Handover.receive(os, channel[1]);

            assertSame(sockets[0], received.lockFd());
            assertEquals(List.of(2), List.copyOf(received.listeners().keySet()));
            assertSame(sockets[1], received.listeners().get(2));
            assertEquals(2, received.lent().size());
            for (int i = 0; i < 2; i++) {
                Handover.Lent got = received.lent().get(i);
                assertEquals(List.of(lent.get(i).group(), lent.get(i).id(), lent.get(i).key()), List.of(got.group(), got.id(), got.key()));
                assertSame(sockets[2 + i], got.fd());
            }
        } finally {
            os.close(channel[0]);
            os.close(channel[1]);
            for (int[] pair : sockets) {
                os.close(pair[0]);
                os.close(pair[1]);
            }
        }
    }

    @Test
    void aHandoverWithoutLentSocketsIsTheOneOlderMastersSend() {
        int[] channel = os.socketPair();
        int[] lock = os.socketPair();
        try {
            os.sendWithFds(channel[0], "handoff\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new int[] {lock[0]});
            Handover received = Handover.receive(os, channel[1]);
            assertEquals(Map.of(), received.listeners());
            assertEquals(List.of(), received.lent());
            assertSame(lock, received.lockFd());
        } finally {
            for (int[] pair : new int[][] {channel, lock}) {
                os.close(pair[0]);
                os.close(pair[1]);
            }
        }
    }

    /** {@code received} is {@code pair[0]} passed over (closed here): a byte written to it arrives at {@code pair[1]}. */
    private void assertSame(int[] pair, int received) {
        assertEquals(1, os.write(received, new byte[] {7}, 0, 1));
        byte[] in = new byte[1];
        assertEquals(1, os.read(pair[1], in));
        assertEquals(7, in[0]);
        os.close(received);
    }
}
