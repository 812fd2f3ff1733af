package org.dl4jisotropic.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.dl4jisotropic.examples.bench.MemoryCheck;
import org.dl4jisotropic.examples.bench.QuickBench;
import org.dl4jisotropic.examples.bench.ThreadSplitTable;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.report.RunReport;

import org.nd4j.linalg.api.buffer.DataType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code isotropic bench}: quick side-by-side timings, or with {@code --memory} the grow/shrink memory check, written
 * as JSON. The full JMH benchmarks run with {@code java -cp isotropic.jar org.openjdk.jmh.Main}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure, side by side in one run: isotropic vs DL4J tanh activation (forward+backward), "
                + "isotropic vs tanh MLP epoch, one adaptation round vs one epoch, sparsified vs dense inference.",
                "With --memory: run consecutive grow/shrink rounds and sample heap and native memory instead.",
                "JMH benchmarks: java -cp isotropic.jar org.openjdk.jmh.Main [regex]"})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "Fewer training examples per epoch (12,800 instead of 60,000).")
    private boolean quick;

    @Option(names = "--train-limit", description = "Training examples per epoch, overriding --quick.")
    private Integer trainLimit;

    @Option(names = "--out", defaultValue = "bench.json", description = "JSON output. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Mixin
    private ThreadsOption threads;

    @Option(names = "--threads-table", description = "Time the main model's epoch (isotropic and tanh) under several "
            + "splits of OpenMP and BLAS threads instead, side by side (3 rounds after a warm-up).")
    private boolean threadsTable;

    @Option(names = "--memory", description = "Run the memory check (grow/shrink rounds) instead of the timings.")
    private boolean memory;

    @Option(names = "--rounds", defaultValue = "1000", description = "Memory check: grow/shrink rounds. "
            + "Default: ${DEFAULT-VALUE}.")
    private int rounds;

    @Option(names = "--width", defaultValue = "1024", description = "Memory check: hidden width. "
            + "Default: ${DEFAULT-VALUE}.")
    private int width;

    @Option(names = "--step", defaultValue = "8", description = "Memory check: neurons grown, then removed, per "
            + "round. Default: ${DEFAULT-VALUE}.")
    private int step;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        // every option is checked before anything is printed or measured
        int examples = trainLimit != null ? trainLimit : quick ? 12_800 : 60_000;
        if (memory) {
            requireMemoryOptions();
        } else if (examples < 128) {
            throw new IllegalArgumentException("--train-limit must be >= 128 (one minibatch), found " + examples);
        }
        console.println("threads: " + threads.apply());
        if (memory) {
            return memoryCheck(console);
        }
        if (threadsTable) {
            return threadsTable(console, examples);
        }
        Map<String, Object> results = new QuickBench(console, examples).run();
        write(results);
        for (String key : new String[] {"activationRatio", "epochRatio", "adaptRoundFraction", "sparseSpeedup",
            "inferenceRatio"}) {
            console.printf("%-19s %.3f%n", key, ((Number) results.get(key)).doubleValue());
        }
        console.println("wrote " + out);
        return 0;
    }

    private int threadsTable(PrintWriter console, int examples) throws IOException {
        LoadedData data = LoadedData.resolve("auto", examples, 1000, DataType.FLOAT, 42L);
        int cores = Runtime.getRuntime().availableProcessors();
        List<Map<String, Object>> rows = new ThreadSplitTable(console, cores).run(data, 3);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("data", data.source() + ", " + data.train().numExamples() + " training examples per epoch");
        results.put("cores", cores);
        results.put("rows", rows);
        results.put("provenance", RunReport.provenance());
        write(results);
        console.printf("%-8s %-6s %-8s %-22s %-18s%n", "OpenMP", "BLAS", "library", "isotropic s/epoch", "tanh s/epoch");
        for (Map<String, Object> row : rows) {
            console.printf("%-8s %-6s %-8s %-22.2f %-18.2f%n", row.get("openMpThreads"), row.get("blasThreads"),
                    Boolean.TRUE.equals(row.get("libraryChoice")) ? "yes" : "", row.get("isotropicEpochSeconds"),
                    row.get("tanhEpochSeconds"));
        }
        console.println("wrote " + out);
        return 0;
    }

    /** The memory check's options, in the terms of the command line. */
    private void requireMemoryOptions() {
        if (rounds < 2) {
            throw new IllegalArgumentException("--rounds must be >= 2, found " + rounds);
        }
        if (width < 2) {
            throw new IllegalArgumentException("--width must be >= 2, found " + width);
        }
        if (step < 1 || step >= width) {
            throw new IllegalArgumentException("--step must be in [1, --width - 1] = [1, " + (width - 1) + "], found "
                    + step);
        }
    }

    private int memoryCheck(PrintWriter console) throws IOException {
        console.printf("memory check: %d rounds of grow %d / shrink %d on a 64-%d-10 network%n", rounds, step, step,
                width);
        MemoryCheck check = new MemoryCheck(64, width, step);
        int every = Math.max(1, rounds / 10);
        List<MemoryCheck.Sample> samples = check.run(rounds, every, console);
        // growth is measured from the first sample after warm-up, when allocator pools have reached their size
        MemoryCheck.Sample first = samples.get(1);
        MemoryCheck.Sample last = samples.get(samples.size() - 1);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("rounds", rounds);
        results.put("width", width);
        results.put("step", step);
        results.put("heapGrowthBytes", last.heapBytes() - first.heapBytes());
        results.put("residentGrowthBytes", last.residentBytes() - first.residentBytes());
        results.put("samples", samples);
        results.put("provenance", RunReport.provenance());
        write(results);
        console.printf("from round %d to %d: heap %+.1f MB, resident %+.1f MB%n", first.round(), last.round(),
                (last.heapBytes() - first.heapBytes()) / 1e6, (last.residentBytes() - first.residentBytes()) / 1e6);
        console.println("wrote " + out);
        return 0;
    }

    private void write(Map<String, Object> results) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        RunReport.write(results, out);
    }
}
