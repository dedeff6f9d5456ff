package dev.drover.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** scripts/drover, run as the README runs it: an example's main class and a command, in a test's directory. */
final class Launcher {
    private static final Path ROOT = Path.of(System.getProperty("drover.root"));

    private Launcher() {}

    /** What one run of scripts/drover ended with: its exit code and what it wrote (both streams). */
    record Output(int code, String text) {}

    /**
     * Runs {@code scripts/drover mainClass args} in {@code dir} with this JVM's environment as
     * {@code environment} edits it; its output is appended to {@code dir}/launcher.out, and this run's
     * part of it returned. Fails when it has not finished within 60 s.
     */
    static Output run(Path dir, String mainClass, Consumer<Map<String, String>> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("scripts/drover").toString(), mainClass));
        command.addAll(List.of(args));
        Path out = dir.resolve("launcher.out");
        long before = Files.exists(out) ? Files.size(out) : 0;
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        environment.accept(builder.environment());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("scripts/drover " + String.join(" ", args) + " did not finish: " + Files.readString(out, StandardCharsets.UTF_8));
        }
        byte[] all = Files.readAllBytes(out);
        return new Output(process.exitValue(), new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8));
    }
}
