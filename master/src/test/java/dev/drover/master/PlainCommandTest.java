package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The commands read without picocli, and everything left to it (help, typos, glued or repeated options). */
class PlainCommandTest {

    private static PlainCommand plain(String... args) {
        return PlainCommand.of(args).orElseThrow(() -> new AssertionError("not plain: " + List.of(args)));
    }

    private static void forPicocli(String... args) {
        assertTrue(PlainCommand.of(args).isEmpty(), "picocli's to read: " + List.of(args));
    }

    @Test
    void readsEachCommandWithItsFlagsInEitherSpelling() {
        assertEquals(new PlainCommand("stop", Set.of(), List.of(), Optional.empty()), plain("stop"));
        assertEquals(Set.of("--graceful"), plain("stop", "-g").flags());
        assertEquals(Set.of("--graceful"), plain("reload", "--graceful").flags());
        assertEquals(Set.of("--daemon", "--graceful", "--cold"), plain("restart", "-d", "--graceful", "--cold").flags());
        assertEquals(Set.of("--live", "--json"), plain("status", "--json", "-d").flags());
        assertEquals(Set.of("--json"), plain("connections", "--json").flags());
        assertEquals(Set.of("--daemon", "--watch"), plain("start", "--watch", "-d").flags());
        assertTrue(plain("start", "-d").has("--daemon"));
    }

    /** The flags each plain form reads are the ones Cli declares to picocli: one may not drift from the other. */
    @Test
    void knowsEveryCommandsFlagsAsCliDeclaresThem() {
        List<Method> commands = CommandLine.getCommandMethods(Cli.class, null);
        assertEquals(7, commands.size(), commands.toString());
        for (Method method : commands) {
            CommandSpec spec = new CommandLine(method).getCommandSpec();
            // --help and --version stay picocli's to answer (leavesEverythingElseToPicocli)
            Set<String> declared = spec.options().stream().filter(o -> !o.usageHelp() && !o.versionHelp())
                    .flatMap(o -> Arrays.stream(o.names())).collect(Collectors.toSet());
            assertEquals(declared, PlainCommand.flagNames(spec.name()), spec.name());
            assertEquals(spec.positionalParameters().size(), PlainCommand.wordCount(spec.name()), spec.name());
        }
    }

    @Test
    void readsThePidFileInBothForms() {
        assertEquals(Optional.of(Path.of("/run/app.pid")), plain("status", "--pid-file", "/run/app.pid").pidFile());
        assertEquals(Optional.of(Path.of("run/app.pid")), plain("stop", "--pid-file=run/app.pid", "-g").pidFile());
    }

    @Test
    void readsScalesTwoWords() {
        assertEquals(List.of("web", "3"), plain("scale", "web", "3", "--pid-file", "a.pid").words());
        forPicocli("scale", "web");
        forPicocli("scale", "web", "3", "4");
        forPicocli("scale", "web", "-1");
    }

    @Test
    void leavesEverythingElseToPicocli() {
        forPicocli();
        forPicocli("--help");
        forPicocli("stop", "--help");
        forPicocli("-V");
        forPicocli("stpo");
        forPicocli("status", "-dj");
        forPicocli("stop", "-g", "-g");
        forPicocli("stop", "--graceful=true");
        forPicocli("status", "extra");
        forPicocli("reload", "--json");
        forPicocli("connections", "-d");
        forPicocli("stop", "--pid-file");
        forPicocli("stop", "--pid-file=");
        forPicocli("stop", "--pid-file", "--graceful");
        forPicocli("stop", "--pid-file", "a", "--pid-file", "b");
    }
}
