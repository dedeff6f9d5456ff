package dev.drover.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds small application jars at test time, as a deploy would. */
final class Jars {
    private Jars() {}

    /** Compiles one class from {@code source} against the test class path and packs it into {@code jar}. */
    static void compile(Path work, String className, String source, Path jar) throws IOException {
        Path src = Files.createDirectories(work.resolve("src-" + System.nanoTime()));
        Path classes = Files.createDirectories(work.resolve("classes-" + System.nanoTime()));
        Path file = src.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
        Files.writeString(file, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int result = compiler.run(null, null, null, "-d", classes.toString(), "-cp", TestClassPath.get(), "--release", "17", file.toString());
        if (result != 0) {
            throw new AssertionError("cannot compile " + className);
        }
        pack(classes, jar);
    }

    /**
     * A jar in {@code work} holding the compiled test class {@code type} alone (its nested classes too):
     * the application as deployed, which the class archive needs and any user can read.
     */
    static Path ofClass(Path work, Class<?> type) throws IOException {
        String path = type.getName().replace('.', '/');
        Path source = Path.of(System.getProperty("drover.test.classes"));
        Path classes = Files.createDirectories(work.resolve("classes-" + type.getSimpleName()));
        Path target = Files.createDirectories(classes.resolve(path).getParent());
        try (Stream<Path> compiled = Files.list(source.resolve(path).getParent())) {
            for (Path file : compiled.toList()) {
                String name = file.getFileName().toString();
                if (name.equals(type.getSimpleName() + ".class") || name.startsWith(type.getSimpleName() + "$")) {
                    Files.copy(file, target.resolve(name));
                }
            }
        }
        Path jar = work.resolve(type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + ".jar");
        pack(classes, jar);
        return jar;
    }

    /** A Java agent's jar: a manifest alone, naming {@code premainClass} (found on the class path the tests start JVMs with). */
    static Path agent(Path work, Class<?> premainClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", premainClass.getName());
        Path jar = work.resolve("agent.jar");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close(); // the manifest is all it holds
        return jar;
    }

    /** Packs a directory into a jar (an empty directory makes an empty jar). */
    static void pack(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                jarOut.write(Files.readAllBytes(f));
                jarOut.closeEntry();
            }
        }
    }

}
