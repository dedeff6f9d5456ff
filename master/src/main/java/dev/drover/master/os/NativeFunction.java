package dev.drover.master.os;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallContextCache;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * One C function, called through jffi (jnr's JNI stub) with up to six integer or address
 * arguments, each passed as a {@code long} that the call narrows to the parameter's C type. The
 * call saves {@code errno} for {@link #errno}. A function the library lacks fails at its call.
 */
final class NativeFunction {
    private static final Invoker INVOKER = Invoker.getInstance();
    /**
     * Loaded with this class, as a master starts: a master's class archive holds the classes it loaded
     * while it started, and the first one it loads from a jar later opens the class path's jars again
     * (~10 ms of its first command, which reads errno after its first {@code EAGAIN}).
     */
    private static final LastError LAST_ERROR = LastError.getInstance();

    private final String name;
    private final long address;
    private final CallContext context;

    NativeFunction(Library library, String name, Type result, Type... parameters) {
        this.name = name;
        this.address = library.getSymbolAddress(name);
        this.context = CallContextCache.getInstance().getCallContext(result, parameters, CallingConvention.DEFAULT, true);
    }

    /** The errno the calling thread's last call through jffi saved. */
    static int errno() {
        return LAST_ERROR.get();
    }

    /** Whether the library has this function (glibc adds some in later versions). */
    boolean exists() {
        return address != 0;
    }

    long call() {
        return INVOKER.invokeN0(context, checked());
    }

    long call(long a) {
        return INVOKER.invokeN1(context, checked(), a);
    }

    long call(long a, long b) {
        return INVOKER.invokeN2(context, checked(), a, b);
    }

    long call(long a, long b, long c) {
        return INVOKER.invokeN3(context, checked(), a, b, c);
    }

    long call(long a, long b, long c, long d) {
        return INVOKER.invokeN4(context, checked(), a, b, c, d);
    }

    long call(long a, long b, long c, long d, long e) {
        return INVOKER.invokeN5(context, checked(), a, b, c, d, e);
    }

    long call(long a, long b, long c, long d, long e, long f) {
        return INVOKER.invokeN6(context, checked(), a, b, c, d, e, f);
    }

    private long checked() {
        if (address == 0) {
            throw new UnsatisfiedLinkError("this C library has no " + name + "()");
        }
        return address;
    }
}
