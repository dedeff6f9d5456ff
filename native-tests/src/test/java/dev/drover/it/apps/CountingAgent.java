package dev.drover.it.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A Java agent that adds the line "PID" to the file its argument names each time a JVM loads it. */
public final class CountingAgent {
    private CountingAgent() {}

    public static void premain(String file) throws IOException {
        Files.writeString(Path.of(file), ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
