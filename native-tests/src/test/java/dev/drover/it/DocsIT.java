package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6, acceptance 2: every complete program in the README and docs/ compiles against drover. */
class DocsIT {
    private static final Path ROOT = Path.of(System.getProperty("drover.root"));
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)");

    @Test
    void everyCompleteProgramCompiles(@TempDir Path dir) throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        int compiled = 0;
        for (Path document : documents) {
            Matcher block = BLOCK.matcher(Files.readString(document));
            while (block.find()) {
                String source = block.group(1);
                if (!source.contains("static void main")) {
                    continue;
                }
                Matcher name = CLASS.matcher(source);
                assertTrue(name.find(), "a class in a program of " + document);
                Path file = Files.createDirectories(dir.resolve("src" + compiled)).resolve(name.group(1) + ".java");
                Files.writeString(file, source);
                StringWriter errors = new StringWriter();
                JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
                boolean ok = compiler.getTask(errors, null, null, List.of("-d", dir.resolve("out" + compiled).toString(), "-cp",
                        TestClassPath.get(), "--release", "17"), null, compiler.getStandardFileManager(null, null, null)
                        .getJavaFileObjects(file)).call();
                assertTrue(ok, "the program " + name.group(1) + " in " + ROOT.relativize(document) + " compiles:\n" + errors);
                compiled++;
            }
        }
        assertEquals(3, compiled, "the README's Hello and the guide's ManualPush and ClusterChat were found and compiled");
    }
}
