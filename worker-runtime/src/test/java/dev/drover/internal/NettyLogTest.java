package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class NettyLogTest {
    @Test
    void nettysWarningsAndErrorsReachJavaUtilLoggingAndDebugIsOff() {
        InternalLoggerFactory before = InternalLoggerFactory.getDefaultFactory();
        List<LogRecord> records = new ArrayList<>();
        Logger jul = Logger.getLogger("dev.drover.test.netty");
        Handler capture = new Handler() {
            @Override public void publish(LogRecord record) { records.add(record); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        jul.addHandler(capture);
        try {
            NettyLog.install();
            InternalLogger netty = InternalLoggerFactory.getInstance("dev.drover.test.netty");
            assertFalse(netty.isDebugEnabled());
            netty.debug("not logged {}", 1);
            assertTrue(netty.isWarnEnabled());
            netty.warn("leak of {} buffers", 3);
            netty.error("failed", new IllegalStateException("boom"));
            assertEquals(2, records.size(), records.toString());
            assertEquals(Level.WARNING, records.get(0).getLevel());
            assertEquals("leak of 3 buffers", records.get(0).getMessage());
            assertEquals(Level.SEVERE, records.get(1).getLevel());
            assertEquals("boom", records.get(1).getThrown().getMessage());
            assertEquals("sun.nio.ch.EPollSelectorProvider", System.getProperty("java.nio.channels.spi.SelectorProvider"));
        } finally {
            jul.removeHandler(capture);
            InternalLoggerFactory.setDefaultFactory(before);
        }
    }
}
