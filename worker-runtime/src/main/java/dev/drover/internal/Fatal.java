package dev.drover.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Ends a worker that cannot go on: logs the stack trace through the master, then exits. */
final class Fatal {
    /** Workerman's exit status for an exception that escaped a callback. */
    static final int STATUS = 250;

    private Fatal() {}

    static void exit(ControlClient control, String what, Throwable error, int status) {
        what += ClassPathAccess.hint(error);
        try {
            String trace = error instanceof BadSetting ? error.getMessage() : trace(error); // complete as it is
            control.log("worker pid " + ProcessHandle.current().pid() + ": " + what + ": " + trace);
            control.fail(what + ": " + trace); // start -d prints it: the operator sees the cause at once
        } catch (RuntimeException masterGone) {
            error.printStackTrace();
        } finally {
            System.out.flush();
            System.err.flush();
            control.channel().shutdownInput(); // as WorkerRuntime.run: halt too waits up to 300 ms for the reader's native read
            Runtime.getRuntime().halt(status);
        }
    }

    /** {@code error}'s stack trace as printed, without the last newline. */
    static String trace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }
}
