package org.dl4jisotropic.examples.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every notebook through the JShell API, snippet by snippet, with small settings (notebook.epochs = 1,
 * notebook.train = 2000), and fails on any rejected snippet, unresolved reference or exception: notebooks never rot.
 */
class NotebookTest {

    private static final Path NOTEBOOKS = Paths.get("notebooks");

    @BeforeAll
    static void smallSettings() {
        System.setProperty("notebook.epochs", "1");
        System.setProperty("notebook.train", "2000");
        System.setProperty("java.awt.headless", "true");
    }

    @AfterAll
    static void restoreSettings() {
        System.clearProperty("notebook.epochs");
        System.clearProperty("notebook.train");
    }

    static Stream<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(p -> p.toString().endsWith(".jsh")).sorted().collect(Collectors.toList()).stream();
        }
    }

    @Test
    void thereAreSevenNumberedNotebooks() throws IOException {
        List<String> names = notebooks().map(p -> p.getFileName().toString()).collect(Collectors.toList());
        assertEquals(7, names.size(), names.toString());
        for (int i = 0; i < names.size(); i++) {
            assertTrue(names.get(i).startsWith(String.format("%02d-", i + 1)), names.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void notebookRunsWithoutAnyErrorOrException(Path notebook) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
             JShell shell = JShell.builder().executionEngine("local").out(out).err(out).build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            String remaining = Files.readString(notebook, StandardCharsets.UTF_8);
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            while (!remaining.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                String source = info.source();
                if (source == null || source.isBlank()) {
                    fail(notebook + ": incomplete snippet at the end: " + remaining.strip());
                }
                for (SnippetEvent event : shell.eval(source)) {
                    check(shell, notebook, event, output);
                }
                remaining = info.remaining();
            }
        }
    }

    private static void check(JShell shell, Path notebook, SnippetEvent event, ByteArrayOutputStream output) {
        Snippet snippet = event.snippet();
        if (event.exception() != null) {
            fail(notebook + ": exception in snippet\n" + snippet.source() + "\n" + event.exception() + "\noutput:\n"
                    + output.toString(StandardCharsets.UTF_8));
        }
        if (event.status() == Snippet.Status.REJECTED || event.status() == Snippet.Status.RECOVERABLE_DEFINED
                || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            String diagnostics = shell.diagnostics(snippet).map(d -> d.getMessage(null))
                    .collect(Collectors.joining("; "));
            fail(notebook + ": snippet " + event.status() + "\n" + snippet.source() + "\n" + diagnostics);
        }
    }
}
