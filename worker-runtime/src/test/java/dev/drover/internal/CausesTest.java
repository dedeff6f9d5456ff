package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CausesTest {
    private static final IOException REFUSED = new IOException("finishConnect(..) failed with error(-111): Connection refused");

    /** Lettuce's words leave out why; the root cause says it, as Dialer words a system error. */
    @Test
    void aWrappedFailureGoesOnWithWhatItsRootCauseSays() {
        RuntimeException lettuce = new RuntimeException("Unable to connect to 127.0.0.1/<unresolved>:6379", new RuntimeException(REFUSED));
        assertEquals("Unable to connect to 127.0.0.1/<unresolved>:6379: Connection refused (111): nothing listens there", Causes.why(lettuce));
        assertEquals("Connection refused (111): nothing listens there", Causes.rootMessage(lettuce));
    }

    @Test
    void aRootCauseAlreadySaidIsNotSaidTwice() {
        IOException wrapper = new IOException("cannot read key.pem: bad padding", new IOException("bad padding"));
        assertEquals("cannot read key.pem: bad padding", Causes.why(wrapper));
        assertEquals("alone", Causes.why(new IOException("alone")));
        assertEquals("NullPointerException", Causes.rootMessage(new IllegalStateException("outer", new NullPointerException())));
    }
}
