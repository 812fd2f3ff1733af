package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.dl4jisotropic.examples.bench.QuickBench;
import org.dl4jisotropic.examples.report.RunReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic bench}: quick side-by-side timings, written as JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure, side by side in one run: isotropic vs DL4J tanh activation (forward+backward), "
                + "isotropic vs tanh MLP epoch, one adaptation round vs one epoch, sparsified vs dense inference.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "Fewer training examples per epoch (12,800 instead of 60,000).")
    private boolean quick;

    @Option(names = "--train-limit", description = "Training examples per epoch, overriding --quick.")
    private Integer trainLimit;

    @Option(names = "--out", defaultValue = "bench.json", description = "JSON output. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        int examples = trainLimit != null ? trainLimit : quick ? 12_800 : 60_000;
        if (examples < 128) {
            throw new IllegalArgumentException("--train-limit must be >= 128 (one minibatch), found " + examples);
        }
        Map<String, Object> results = new QuickBench(console, examples).run();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        RunReport.write(results, out);
        for (String key : new String[] {"activationRatio", "epochRatio", "adaptRoundFraction", "sparseSpeedup"}) {
            console.printf("%-19s %.3f%n", key, ((Number) results.get(key)).doubleValue());
        }
        console.println("wrote " + out);
        return 0;
    }
}
