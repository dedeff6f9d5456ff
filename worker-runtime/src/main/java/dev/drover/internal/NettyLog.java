package dev.drover.internal;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * Netty's own log in a worker, and in the master and the commands, which run the application's
 * main: java.util.logging (a worker's stderr, so the stdout file), at its default level INFO,
 * started only when Netty first logs something. Netty looks for SLF4J, Log4J 2
 * and Log4J first, and java.util.logging looks for a {@code System.LoggerFinder} when it starts;
 * each search opens every jar of the class path, some 40-80 ms of a worker's start. So a worker
 * sets this factory before Netty's first class loads, unless {@code -Ddrover.nettyLogger=auto}
 * (Netty's own search) or a java.util.logging configuration (which may enable debug) is given.
 */
public final class NettyLog extends InternalLoggerFactory {
    /** {@code -Ddrover.nettyLogger=auto} lets Netty look for its logger itself. */
    static final String PROPERTY = "drover.nettyLogger";
    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

    private NettyLog() {}

    /**
     * Makes this Netty's logger factory, or plain java.util.logging when it is configured (see the
     * class comment). Also names the JDK's own selector provider, which the JDK would otherwise look
     * for among the class path's services (another walk through every jar) when Netty first asks.
     */
    public static void install() {
        if (System.getProperty(SELECTOR_PROVIDER) == null) {
            System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
        }
        if ("auto".equals(System.getProperty(PROPERTY))) {
            return;
        }
        boolean configured = System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null;
        InternalLoggerFactory.setDefaultFactory(configured ? JdkLoggerFactory.INSTANCE : new NettyLog());
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new Lazy(name);
    }

    /** Trace and debug are off, as java.util.logging's default level has them; the rest starts the JDK logger on first use. */
    private static final class Lazy extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;
        private transient volatile InternalLogger jdk;

        Lazy(String name) {
            super(name);
        }

        private InternalLogger jdk() {
            InternalLogger logger = jdk;
            if (logger == null) {
                logger = ((JdkLoggerFactory) JdkLoggerFactory.INSTANCE).newInstance(name());
                jdk = logger;
            }
            return logger;
        }

        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) { }
        @Override public void trace(String format, Object arg) { }
        @Override public void trace(String format, Object argA, Object argB) { }
        @Override public void trace(String format, Object... arguments) { }
        @Override public void trace(String msg, Throwable t) { }
        @Override public boolean isDebugEnabled() { return false; }
        @Override public void debug(String msg) { }
        @Override public void debug(String format, Object arg) { }
        @Override public void debug(String format, Object argA, Object argB) { }
        @Override public void debug(String format, Object... arguments) { }
        @Override public void debug(String msg, Throwable t) { }
        @Override public boolean isInfoEnabled() { return jdk().isInfoEnabled(); }
        @Override public void info(String msg) { jdk().info(msg); }
        @Override public void info(String format, Object arg) { jdk().info(format, arg); }
        @Override public void info(String format, Object argA, Object argB) { jdk().info(format, argA, argB); }
        @Override public void info(String format, Object... arguments) { jdk().info(format, arguments); }
        @Override public void info(String msg, Throwable t) { jdk().info(msg, t); }
        @Override public boolean isWarnEnabled() { return jdk().isWarnEnabled(); }
        @Override public void warn(String msg) { jdk().warn(msg); }
        @Override public void warn(String format, Object arg) { jdk().warn(format, arg); }
        @Override public void warn(String format, Object argA, Object argB) { jdk().warn(format, argA, argB); }
        @Override public void warn(String format, Object... arguments) { jdk().warn(format, arguments); }
        @Override public void warn(String msg, Throwable t) { jdk().warn(msg, t); }
        @Override public boolean isErrorEnabled() { return jdk().isErrorEnabled(); }
        @Override public void error(String msg) { jdk().error(msg); }
        @Override public void error(String format, Object arg) { jdk().error(format, arg); }
        @Override public void error(String format, Object argA, Object argB) { jdk().error(format, argA, argB); }
        @Override public void error(String format, Object... arguments) { jdk().error(format, arguments); }
        @Override public void error(String msg, Throwable t) { jdk().error(msg, t); }
    }
}
