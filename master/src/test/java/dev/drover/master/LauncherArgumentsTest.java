package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LauncherArgumentsTest {

    @Test
    void readsTheOptionsOfAClassLaunch() {
        List<String> cmdline = List.of("/usr/lib/jvm/java-17/bin/java", "-Xmx64m", "-Dapp.port=80", "-cp", "a.jar:b.jar", "-XX:+UseG1GC",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dx=a b", "dev.App", "start", "-d");
        assertEquals(Optional.of(List.of("-Xmx64m", "-Dapp.port=80", "-XX:+UseG1GC", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dx=a b")),
                LauncherArguments.options(cmdline, List.of("start", "-d"), "dev.App start -d"));
    }

    @Test
    void readsAJarLaunchAndLeavesTheLaunchersOwnOptionsOut() {
        List<String> cmdline = List.of("java", "-showversion", "--class-path=x.jar", "-ea", "-jar", "app.jar", "stop");
        assertEquals(Optional.of(List.of("-ea")), LauncherArguments.options(cmdline, List.of("stop"), "app.jar stop"));
        assertEquals(Optional.of(List.of()), LauncherArguments.options(List.of("java", "dev.App"), List.of(), "dev.App"));
    }

    @Test
    void leavesToTheJvmWhatItCannotReadForCertain() {
        List<String> args = List.of("start");
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", "@opts", "dev.App", "start"), args, "dev.App start"),
                "an argument file");
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", "-m", "mod/dev.App", "start"), args, "mod/dev.App start"),
                "a module");
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", "-p", "mods", "dev.App", "start"), args, "dev.App start"));
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("jsvc", "-Xmx1g", "dev.App", "start"), args, "dev.App start"),
                "another launcher");
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", "-Xmx1g", "dev.App", "stop"), args, "dev.App stop"),
                "other arguments");
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", "-Xmx1g", "dev.Other", "start"), args, "dev.App start"),
                "another main class");
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", "-Xmx1g", "value", "dev.App", "start"), args, "dev.App start"),
                "a word that is not an option");
        assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", "--add-opens", "dev.App", "start"), args, "dev.App start"),
                "an option without its value");
        for (String rewritten : List.of("-ms64m", "-mx1g", "-ss512k", "-verbosegc", "-noverify", "-XX:VMOptionsFile=opts", "-Xdiag",
                "--unknown-option")) {
            assertEquals(Optional.empty(), LauncherArguments.options(List.of("java", rewritten, "dev.App", "start"), args, "dev.App start"),
                    rewritten + ": the launcher or the JVM rewrites it, or it is not known here");
        }
    }

    @Test
    void takesTheFormsTheLauncherPassesOnAsTheyAre() {
        List<String> options = List.of("-Xss1m", "-XX:+UseG1GC", "-XX:Flags=.hotspotrc", "-Dx=1", "-ea", "-da:com.example...", "-esa",
                "-enableassertions:Foo", "-agentlib:jdwp=transport=dt_socket", "-agentpath:/a.so", "-javaagent:a.jar=x", "-verbose:gc",
                "-verbose", "--enable-preview", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        List<String> cmdline = new java.util.ArrayList<>(List.of("java"));
        cmdline.addAll(options);
        cmdline.addAll(List.of("dev.App", "start"));
        assertEquals(Optional.of(options), LauncherArguments.options(cmdline, List.of("start"), "dev.App start"));
    }

    @Test
    void readsThisProcesssCommandLine() {
        List<String> cmdline = LauncherArguments.commandLine().orElseThrow();
        assertTrue(cmdline.get(0).endsWith("java"), cmdline.toString());
        assertEquals(List.of(), JvmCommand.ownMasterOptions(), "surefire's JVM is no master drover started");
    }
}
