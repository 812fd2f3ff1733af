package org.dl4jisotropic.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A minimal Spark "distribution" for local-cluster mode, whose workers launch executor JVMs with the class path
 * {@code $SPARK_HOME/jars/*}: a {@code RELEASE} marker and {@code jars/} holding a link to every jar of this JVM's
 * class path, plus a jar of every class directory (this module's classes and test classes, and reactor modules'
 * classes when built with -am). So the executors load exactly the classes the driver has.
 */
final class ScratchSparkHome {

    private ScratchSparkHome() {
    }

    /**
     * Fills {@code home} (emptied first) from {@code java.class.path}.
     *
     * @return the number of entries in {@code jars/}
     */
    static int create(Path home) throws IOException {
        if (Files.exists(home)) {
            try (Stream<Path> old = Files.walk(home)) {
                for (Path path : old.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                    Files.delete(path);
                }
            }
        }
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "Scratch Spark home for dl4j-isotropic-spark tests\n");
        List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        int count = 0;
        for (String entry : entries) {
            Path path = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(path)) {
                jarDirectory(path, jars.resolve("classes-" + count + ".jar"));
            } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                Files.createSymbolicLink(jars.resolve(count + "-" + path.getFileName()), path);
            } else {
                continue;
            }
            count++;
        }
        return count;
    }

    private static void jarDirectory(Path directory, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                out.putNextEntry(new JarEntry(directory.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
    }
}
