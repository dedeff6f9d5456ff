package dev.drover.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An application built into a jar at test time, so that a deploy can replace it: group "web"
 * answers HTTP with its version ({@code app.count} workers, 2 by default), and group "ws", when
 * {@code app.wsCount} is set, echoes WebSocket messages.
 */
final class VersionedApp {
    static final String MAIN = "deploy.VersionApp";

    private VersionedApp() {}

    static String source(String version) {
        return """
                package deploy;
                import dev.drover.Worker;
                public final class VersionApp {
                    public static void main(String[] args) {
                        Worker web = new Worker("http://127.0.0.1:0").setCount(Integer.getInteger("app.count", 2)).setName("web");
                        web.onMessage((connection, request) -> connection.send("%s"));
                        int wsCount = Integer.getInteger("app.wsCount", 0);
                        if (wsCount > 0) {
                            Worker ws = new Worker("websocket://127.0.0.1:0").setCount(wsCount).setName("ws");
                            ws.onMessage((connection, message) -> connection.send((String) message));
                        }
                        Worker.runAll(args);
                    }
                }
                """.formatted(version);
    }

    /** The jar the app is deployed to in {@code dir}. */
    static Path jar(Path dir) {
        return dir.resolve("app.jar");
    }

    /** Version "v1" built into {@link #jar}, as an App with {@code options}, its jar first on the class path. */
    static App v1(Path dir, String... options) throws Exception {
        deploy(dir, jar(dir), source("v1"));
        return new App(dir, MAIN, options).withClassPathEntry(jar(dir));
    }

    /** Version "v1" as deployed: its jar and drover's jars alone on the class path, so workers start from the class archive. */
    static App v1FromJars(Path dir, String... options) throws Exception {
        deploy(dir, jar(dir), source("v1"));
        return new App(dir, MAIN, options).fromJar(jar(dir));
    }

    /** Builds {@code source} into {@code jar} by rename, as one should (never overwrite a jar a JVM has open). */
    static void deploy(Path dir, Path jar, String source) throws Exception {
        Path next = dir.resolve(jar.getFileName() + ".next");
        Jars.compile(dir, MAIN, source, next);
        Files.move(next, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
