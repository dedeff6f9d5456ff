package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.master.WorkerHandoff;
import dev.drover.master.os.Os;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The master's first message to a worker, sent as the master sends it and read as the worker reads it. */
@Timeout(30)
class HandoffTest {
    private final Os os = Os.linux();

    @Test
    void aReplacementGetsTheGroupsSocketsItsBalancePageAndTheLentListenersByKey() {
        int[] channel = os.socketPair();
        int[] listener = os.socketPair();
        int[] balance = os.socketPair();
        int[] lentTcp = os.socketPair();
        int[] lentUnix = os.socketPair();
        try {
            Map<String, Integer> lent = new LinkedHashMap<>();
            lent.put("tcp 127.0.0.1:5678", lentTcp[0]);
            lent.put("unix /run/with space\nand newline.sock", lentUnix[0]);
            WorkerHandoff.send(os, channel[0], new int[] {listener[0]}, balance[0], lent);
            Handoff handoff = Handoff.receive(new ControlSocket(channel[1]));

            assertEquals(1, handoff.listenFds().length);
            assertSame(listener, handoff.listenFds()[0]);
            assertSame(balance, handoff.balanceFd());
            assertEquals(lent.keySet(), handoff.lent().keySet());
            assertSame(lentTcp, handoff.lent().get("tcp 127.0.0.1:5678"));
            assertSame(lentUnix, handoff.lent().get("unix /run/with space\nand newline.sock"));
            handoff.lent().values().forEach(os::close);
            os.close(handoff.listenFds()[0]);
            os.close(handoff.balanceFd());
        } finally {
            for (int[] pair : new int[][] {channel, listener, balance, lentTcp, lentUnix}) {
                os.close(pair[0]);
                os.close(pair[1]);
            }
        }
    }

    @Test
    void aWorkerWithoutLentListenersGetsNone() {
        int[] channel = os.socketPair();
        int[] listener = os.socketPair();
        try {
            WorkerHandoff.send(os, channel[0], new int[] {listener[0]}, -1, Map.of());
            Handoff handoff = Handoff.receive(new ControlSocket(channel[1]));
            assertEquals(-1, handoff.balanceFd());
            assertEquals(Map.of(), handoff.lent());
            assertSame(listener, handoff.listenFds()[0]);
            os.close(handoff.listenFds()[0]);
        } finally {
            for (int[] pair : new int[][] {channel, listener}) {
                os.close(pair[0]);
                os.close(pair[1]);
            }
        }
    }

    /** {@code received} is {@code pair[0]} passed over: a byte written to it arrives at {@code pair[1]}. */
    private void assertSame(int[] pair, int received) {
        assertEquals(1, os.write(received, new byte[] {42}, 0, 1));
        byte[] in = new byte[1];
        assertEquals(1, os.read(pair[1], in));
        assertEquals(42, in[0]);
    }
}
