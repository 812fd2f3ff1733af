package org.dl4jisotropic.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every option of every command with hostile values (negative, zero, huge, NaN, empty, malformed, a missing or
 * corrupt model, a model that is not isotropic, a folder without IDX files or with corrupt ones): each must exit
 * with code 2 and one line on stderr naming the option, with no stack trace, nothing on stdout and no file written,
 * and must return (the hang guard catches a parse that never ends, such as filling a huge class range).
 *
 * <p>Placeholders in the arguments: {@code {out}} a path under a fresh folder that must still not exist afterwards,
 * {@code {model}} a small isotropic Iris model, {@code {relu}} an elementwise (not isotropic) one, {@code {corrupt}}
 * a file of text named model.zip, {@code {missing}} a path with no file, {@code {empty}} an empty folder,
 * {@code {badidx}}, {@code {hugeidx}} and {@code {truncatedidx}} folders of four IDX-named files with a cut-short
 * header, a header promising more than any array holds, and a header promising data that is not there,
 * {@code {file}} an existing regular file,
 * {@code {dir}} an existing folder. An empty argument is written {@code ''}.
 */
class BadOptionTest {

    /**
     * A bad option must return long before this; it only stops a hang from failing to end the suite. How long a
     * rejection takes is not asserted (tests never time code); in process each takes well under a second.
     */
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);

    @TempDir
    static Path shared;

    private static Map<String, String> fixtures;

    @BeforeAll
    static void fixtures() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path isotropic = shared.resolve("iso");
        Path relu = shared.resolve("relu");
        assertEquals(0, run("train", "--data", "iris", "--hidden", "6,6", "--epochs", "1", "--out",
                isotropic.toString()).exitCode());
        assertEquals(0, run("train", "--data", "iris", "--hidden", "6", "--epochs", "1", "--activation", "relu",
                "--out", relu.toString()).exitCode());
        Path corrupt = shared.resolve("corrupt.zip");
        Files.writeString(corrupt, "not a zip file", StandardCharsets.UTF_8);
        Path empty = Files.createDirectories(shared.resolve("empty"));
        Path badIdx = Files.createDirectories(shared.resolve("badidx"));
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.write(badIdx.resolve(name), new byte[] {0, 0, 8, 3, 127, 127, 127, 127});   // header cut short
        }
        // Well-formed headers that promise far more than the files hold: one beyond any array, one merely truncated.
        Path hugeIdx = idxFolder("hugeidx", new int[] {Integer.MAX_VALUE, 65_535, 65_535});
        Path truncatedIdx = idxFolder("truncatedidx", new int[] {60_000, 28, 28});
        Path file = shared.resolve("a-file.txt");
        Files.writeString(file, "x", StandardCharsets.UTF_8);
        fixtures = Map.of("{model}", isotropic.resolve("model.zip").toString(),
                "{relu}", relu.resolve("model.zip").toString(), "{corrupt}", corrupt.toString(),
                "{missing}", shared.resolve("no-such-model.zip").toString(), "{empty}", empty.toString(),
                "{badidx}", badIdx.toString(), "{hugeidx}", hugeIdx.toString(), "{truncatedidx}",
                truncatedIdx.toString(), "{file}", file.toString(), "{dir}", empty.toString());
    }

    /** A folder of the four IDX file names, each an unsigned-byte header with these dimensions and no data. */
    private static Path idxFolder(String name, int[] dimensions) throws IOException {
        Path folder = Files.createDirectories(shared.resolve(name));
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(4 * (dimensions.length + 1));
        header.putInt(0x0800 | dimensions.length);
        for (int d : dimensions) {
            header.putInt(d);
        }
        for (String file : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.write(folder.resolve(file), header.array());
        }
        return folder;
    }

    /** The output and exit code of one invocation. */
    private static Invocation run(String... args) {
        return Invocation.of(args);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // train: numbers
        "train --data iris --epochs 0 --out {out}|--epochs",
        "train --data iris --epochs -1 --out {out}|--epochs",
        "train --data iris --epochs 99999999999 --out {out}|--epochs",
        "train --data iris --epochs '' --out {out}|--epochs",
        "train --data iris --batch 0 --out {out}|--batch",
        "train --data iris --batch -5 --out {out}|--batch",
        "train --data iris --lr 0 --out {out}|--lr",
        "train --data iris --lr -1 --out {out}|--lr",
        "train --data iris --lr NaN --out {out}|--lr",
        "train --data iris --lr Infinity --out {out}|--lr",
        "train --data iris --lr fast --out {out}|--lr",
        "train --data iris --hidden 0 --out {out}|--hidden",
        "train --data iris --hidden -3 --out {out}|--hidden",
        "train --data iris --hidden 2147483647 --out {out}|--hidden",
        "train --data iris --hidden '' --out {out}|--hidden",
        "train --data iris --hidden 8,,8 --out {out}|--hidden",
        "train --data iris --tau 0 --out {out}|--tau",
        "train --data iris --tau -1 --out {out}|--tau",
        "train --data iris --tau NaN --out {out}|--tau",
        "train --data iris --tau Infinity --out {out}|--tau",
        "train --data iris --scaffold -1 --out {out}|--scaffold",
        "train --data iris --scaffold 2147483647 --out {out}|--scaffold",
        "train --data iris --min-width 0 --out {out}|--min-width",
        "train --data iris --min-width 10 --max-width 5 --out {out}|--max-width",
        "train --data iris --max-width 2147483647 --out {out}|--max-width",
        "train --data iris --train-limit 0 --out {out}|--train-limit",
        "train --data iris --train-limit -1 --out {out}|--train-limit",
        "train --data iris --test-limit 0 --out {out}|--test-limit",
        "train --data iris --seed many --out {out}|--seed",
        // train: names and schedules
        "train --data iris --updater rmsprop --out {out}|--updater",
        "train --data iris --updater '' --out {out}|--updater",
        "train --data iris --activation sigmoid --out {out}|--activation",
        "train --data iris --adapt --activation relu --out {out}|--adapt",
        "train --data iris --dtype half --out {out}|--dtype",
        "train --data iris --dtype '' --out {out}|--dtype",
        "train --data iris --tasks 0-2147483647@1 --out {out}|--tasks",
        "train --data iris --tasks 5-3@1 --out {out}|--tasks",
        "train --data iris --tasks 0-3@1 --out {out}|--tasks",
        "train --data iris --tasks -1-2@1 --out {out}|--tasks",
        "train --data iris --tasks 0-1@0 --out {out}|--tasks",
        "train --data iris --tasks 0-1@2,0-2@1 --out {out}|--tasks",
        "train --data iris --tasks x --out {out}|--tasks",
        "train --data iris --tasks 0-1@ --out {out}|--tasks",
        // train: models
        "train --data iris --model rnn --out {out}|--model",
        "train --data iris --model cnn --out {out}|--model",
        "train --data fashion-mnist --model cnn --adapt --activation relu --out {out}|--adapt",
        "train --data fashion-mnist --model cnn --pooling max --out {out}|--pooling",
        "train --data fashion-mnist --model cnn --pooling sum --activation relu --out {out}|--pooling",
        "train --data iris --pooling avg --out {out}|--pooling",
        "train --data fashion-mnist --model cnn --hidden 8 --out {out}|--hidden",
        "train --data fashion-mnist --model cnn --hidden 8,8,8,8 --out {out}|--hidden",
        "train --data fashion-mnist --model cnn --spark local[2] --out {out}|--spark trains --model mlp only",
        // train: data, output, Spark
        "train --data '' --out {out}|--data",
        "train --data /no/such/folder --out {out}|--data",
        "train --data {empty} --out {out}|--data",
        "train --data {badidx} --out {out}|--data",
        "train --data {file} --out {out}|--data",
        "train --data {hugeidx} --out {out}|--data",
        "train --data {truncatedidx} --out {out}|--data",
        "train --data iris --out {file}|--out",
        "train --data iris|--out",
        "train --data iris --averaging-frequency 3 --out {out}|--averaging-frequency",
        "train --data iris --spark local[2] --averaging-frequency 0 --out {out}|--averaging-frequency",
        "train --data iris --spark '' --out {out}|--spark",
        "train --data iris --no-such-option --out {out}|--no-such-option",
        // resize
        "resize --model {missing} --layer 0 --width 3 --data iris --out {out}|--model",
        "resize --model {corrupt} --layer 0 --width 3 --data iris --out {out}|--model",
        "resize --model {relu} --layer 0 --width 3 --data iris --out {out}|--model",
        "resize --model {model} --layer -1 --width 3 --data iris --out {out}|--layer",
        "resize --model {model} --layer 2 --width 3 --data iris --out {out}|--layer",
        "resize --model {model} --layer 0 --width 0 --data iris --out {out}|--width",
        "resize --model {model} --layer 0 --width -4 --data iris --out {out}|--width",
        "resize --model {model} --layer 0 --width 2147483647 --data iris --out {out}|--width",
        "resize --model {model} --layer 0 --width 3 --data iris --test-limit 0 --out {out}|--test-limit",
        "resize --model {model} --layer 0 --width 3 --data {empty} --out {out}|--data",
        "resize --model {model} --layer 0 --width 3 --data '' --out {out}|--data",
        "resize --model {model} --layer 0 --width 3 --data {badidx} --out {out}|--data",
        "resize --model {model} --layer 0 --width 3 --data iris --seed x --out {out}|--seed",
        "resize --model {model} --layer 0 --width 3 --data iris --out {dir}|--out",
        "resize --model {model} --width 3 --data iris --out {out}|--layer",
        // diagonalize, sparsify, inspect
        "diagonalize --model {missing} --data iris --out {out}|--model",
        "diagonalize --model {corrupt} --data iris --out {out}|--model",
        "diagonalize --model {relu} --data iris --out {out}|--model",
        "diagonalize --model {model} --data iris --test-limit -1 --out {out}|--test-limit",
        "diagonalize --model {model} --data {empty} --out {out}|--data",
        "diagonalize --model {model} --data iris|--out",
        "sparsify --model {missing} --data iris --out {out}|--model",
        "sparsify --model {corrupt} --data iris --out {out}|--model",
        "sparsify --model {relu} --data iris --out {out}|--model",
        "sparsify --model {model} --data iris --test-limit 0 --out {out}|--test-limit",
        "sparsify --model {model} --data {badidx} --out {out}|--data",
        "sparsify --model {model} --data iris --out {dir}|--out",
        "inspect --model {missing} --png {out}|--model",
        "inspect --model {corrupt} --png {out}|--model",
        "inspect --model {relu} --png {out}|--model",
        "inspect --model {model} --tau 0 --png {out}|--tau",
        "inspect --model {model} --tau NaN --png {out}|--tau",
        "inspect --model {model} --tau -2 --png {out}|--tau",
        "inspect --model {model} --png {file}|--png",
        "inspect --png {out}|--model",
        // bench and verify: option parsing only
        "bench --train-limit 5 --out {out}|--train-limit",
        "bench --train-limit -1 --out {out}|--train-limit",
        "bench --train-limit 99999999999 --out {out}|--train-limit",
        "bench --memory --rounds 1 --out {out}|--rounds",
        "bench --memory --rounds x --out {out}|--rounds",
        "bench --memory --width 0 --out {out}|--width",
        "bench --memory --step -1 --out {out}|--step",
        "bench --memory --width 8 --step 8 --out {out}|--step",
        // experiment
        "experiment no-such-experiment --quick --out {out}|NAME",
        "experiment --quick --out {out}|NAME",
        "experiment pruning --quick --seeds -1 --out {out}|--seeds",
        "experiment width-sweep --quick --seeds 0 --out {out}|--seeds",
        "experiment width-sweep --quick --seeds x --out {out}|--seeds",
        "experiment spectra --quick --epochs 0 --out {out}|--epochs",
        "experiment neuroabundance --quick --epochs 2 --out {out}|--epochs",
        "experiment spectra --quick --train-limit 0 --out {out}|--train-limit",
        "experiment spectra --quick --test-limit -3 --out {out}|--test-limit",
        "experiment spectra --quick --data {empty} --out {out}|--data",
        "experiment spectra --quick --data {badidx} --out {out}|--data",
        "experiment spectra --quick --seed x --out {out}|--seed",
        "experiment spectra --quick --threads 0 --out {out}|--threads",
        "experiment spectra --quick --out {file}|--out",
        "experiment spectra --quick|--out"})
    void aHostileValueExitsWithTwoAndOneLineNamingTheOptionBeforeWritingAnything(String args, String option,
            @TempDir Path scratch) {
        Path out = scratch.resolve("out");
        List<String> arguments = new ArrayList<>();
        for (String arg : args.split(" ")) {
            String value = arg.equals("''") ? "" : arg.replace("{out}", out.toString());
            arguments.add(fixtures.getOrDefault(value, value));
        }
        Invocation invocation = assertTimeoutPreemptively(HANG_GUARD,
                () -> run(arguments.toArray(new String[0])), "a bad option must be rejected at once");
        String err = invocation.err().strip();
        assertEquals(2, invocation.exitCode(), invocation.out() + invocation.err());
        assertEquals(1, err.lines().count(), "one line on stderr: " + err);
        assertTrue(err.contains(option), "names " + option + ": " + err);
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("\tat ") || err.contains("Caused by"), "no stack trace: " + err);
        assertEquals("", invocation.out(), "nothing on stdout");
        assertFalse(Files.exists(out), "nothing written at " + out);
    }

    /** verify's --dtype: exit 2, one line naming it, and nothing on stdout (picocli converts it before the run). */
    @ParameterizedTest(name = "verify --dtype [{0}]")
    @CsvSource({"half", "''"})
    void verifyRejectsAnUnknownDtypeWithOneLine(String dtype) {
        Invocation invocation = assertTimeoutPreemptively(HANG_GUARD, () -> run("verify", "--dtype", dtype));
        String err = invocation.err().strip();
        assertEquals(2, invocation.exitCode(), invocation.out() + invocation.err());
        assertEquals(1, err.lines().count(), "one line on stderr: " + err);
        assertTrue(err.contains("--dtype"), err);
        assertEquals("", invocation.out(), "nothing on stdout");
    }
}
