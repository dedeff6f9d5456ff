package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.drover.Worker;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A bad argument to drover's API escaping main is one line naming the application's call; anything else is Java's. */
class MainErrorsTest {
    private static final StackTraceElement APP_MAIN = new StackTraceElement("dev.drover.examples.Hello", "main", "Hello.java", 12);

    /** What escapes {@code new Worker(address)}, as if the application's main had called it (this test is in a drover package). */
    private static IllegalArgumentException refused(String address) {
        try {
            new Worker(address);
        } catch (IllegalArgumentException e) {
            StackTraceElement[] trace = e.getStackTrace();
            int drovers = 0;
            while (!trace[drovers].getClassName().equals(MainErrorsTest.class.getName())) {
                drovers++;
            }
            StackTraceElement[] fromMain = Arrays.copyOf(trace, drovers + 1);
            fromMain[drovers] = APP_MAIN;
            e.setStackTrace(fromMain);
            return e;
        }
        throw new AssertionError("'" + address + "' was taken");
    }

    @Test
    void aBadAddressIsItsMessageAndTheApplicationsLine() {
        assertEquals("drover: listen address 'http://0.0.0.0' has no port; write e.g. http://0.0.0.0:8080"
                + " (at dev.drover.examples.Hello.main(Hello.java:12))", MainErrors.oneLine(refused("http://0.0.0.0")));
        String unknown = MainErrors.oneLine(refused("gopher://0.0.0.0:70"));
        assertEquals("drover: listen address 'gopher://0.0.0.0:70': unknown protocol 'gopher'", unknown.substring(0, unknown.indexOf(';')));
    }

    @Test
    void anythingElseIsLeftToJava() {
        IllegalArgumentException applications = new IllegalArgumentException("the application's own");
        applications.setStackTrace(new StackTraceElement[] {APP_MAIN});
        assertNull(MainErrors.oneLine(applications));
        IllegalStateException state = new IllegalStateException("not an argument");
        state.setStackTrace(refused("http://0.0.0.0").getStackTrace());
        assertNull(MainErrors.oneLine(state));
        IllegalArgumentException noCaller = new IllegalArgumentException("no caller");
        noCaller.setStackTrace(Arrays.copyOf(refused("http://0.0.0.0").getStackTrace(), 1));
        assertNull(MainErrors.oneLine(noCaller));
    }
}
