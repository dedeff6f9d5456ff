package dev.drover.internal.channel;

/** The GlobalData commands, with their byte on the embedded server's wire (see {@link ChannelWire}). */
public enum StoreOp {
    GET('g', 1), SET('t', 2), ADD('a', 2), INCREMENT('i', 2), CAS('c', 3), DELETE('d', 1);

    final byte wire;
    final int arguments;

    StoreOp(char wire, int arguments) {
        this.wire = (byte) wire;
        this.arguments = arguments;
    }

    static StoreOp ofWire(byte type) {
        for (StoreOp op : values()) {
            if (op.wire == type) {
                return op;
            }
        }
        return null;
    }
}
