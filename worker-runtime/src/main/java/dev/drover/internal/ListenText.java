package dev.drover.internal;

import dev.drover.Protocol;
import dev.drover.Worker;
import dev.drover.master.ListenAddress;
import java.util.TreeSet;

/** A Worker's listen address as the application wrote it, read and checked: a known protocol, a host, a port. */
public final class ListenText {
    private ListenText() {}

    /** @throws IllegalArgumentException for a malformed address or an unknown protocol, naming it and what to write */
    public static ListenAddress parse(String listen) {
        ListenAddress address = ListenAddress.parse(listen);
        String protocol = address.protocol();
        if (!Worker.PROTOCOLS.contains(protocol) && Protocol.named(protocol) == null) {
            throw new IllegalArgumentException("listen address '" + listen + "': unknown protocol '" + protocol
                    + "'; drover knows " + String.join(", ", new TreeSet<>(Worker.PROTOCOLS))
                    + ", and Protocol.register or a Protocol class's full name add more");
        }
        return address;
    }
}
