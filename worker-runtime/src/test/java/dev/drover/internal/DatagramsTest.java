package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.SendStatus;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatagramsTest {
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 9);

    /** Datagrams the kernel could not take wait in the socket's buffer up to its high water mark; past it they are dropped, not held. */
    @Test
    void aFullSendBufferDropsTheDatagram() {
        EmbeddedChannel channel = new EmbeddedChannel();
        List<String> why = new ArrayList<>();
        assertEquals(SendStatus.WRITTEN, Datagrams.send(channel, peer, true, new byte[] {1}, reason -> fail(why, reason)));
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // as when the kernel's buffer is full
        assertEquals(SendStatus.FAILED, Datagrams.send(channel, peer, true, new byte[] {2}, reason -> fail(why, reason)));
        assertEquals(List.of("the socket's send buffer is full"), why);
        channel.finishAndReleaseAll();
    }

    @Test
    void whatADatagramCannotCarryIsRefused() {
        EmbeddedChannel channel = new EmbeddedChannel();
        List<String> why = new ArrayList<>();
        Datagrams.send(channel, peer, true, new byte[0], reason -> fail(why, reason));
        Datagrams.send(channel, peer, true, new byte[65508], reason -> fail(why, reason));
        Datagrams.send(channel, new InetSocketAddress("::1", 9), true, new byte[65528], reason -> fail(why, reason));
        assertEquals(List.of("an empty datagram is not sent", "a datagram holds at most 65507 bytes, not 65508",
                "a datagram holds at most 65527 bytes, not 65528"), why);
        channel.finishAndReleaseAll();
    }

    private static SendStatus fail(List<String> why, String reason) {
        why.add(reason);
        return SendStatus.FAILED;
    }
}
