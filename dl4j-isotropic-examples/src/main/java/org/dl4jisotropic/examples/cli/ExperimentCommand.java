package org.dl4jisotropic.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.dl4jisotropic.examples.data.DataSource;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.experiment.Experiment;
import org.dl4jisotropic.examples.experiment.ExperimentContext;
import org.dl4jisotropic.examples.experiment.ExperimentName;
import org.dl4jisotropic.examples.experiment.ExperimentReport;
import org.dl4jisotropic.examples.experiment.ExperimentResult;
import org.dl4jisotropic.examples.experiment.Machine;
import org.dl4jisotropic.examples.experiment.Scale;
import org.dl4jisotropic.examples.report.Provenance;
import org.nd4j.linalg.api.buffer.DataType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code isotropic experiment NAME}: runs one of the paper's experiments with a progress bar, prints a summary and
 * writes report.json, results.md and PNG plots to {@code --out}. {@code --quick} runs a tiny version in seconds.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run an experiment (${COMPLETION-CANDIDATES}) and write report.json, results.md and PNG plots "
                + "to --out.")
public final class ExperimentCommand implements Callable<Integer> {

    /** How the results page names the tool in the recorded command. */
    static final String TOOL = "java -jar dl4j-isotropic-examples/target/isotropic.jar";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "${COMPLETION-CANDIDATES}")
    private ExperimentName name;

    @Option(names = "--quick", description = "A tiny version that runs in seconds (for CI: its numbers mean nothing).")
    private boolean quick;

    @Option(names = "--seeds", description = "Repetitions with seeds --seed, --seed + 1, ... Default: the "
            + "experiment's.")
    private Integer seeds;

    @Option(names = "--epochs", description = "Training epochs. Default: the experiment's.")
    private Integer epochs;

    @Option(names = "--train-limit", description = "Use at most this many training examples. Default: the "
            + "experiment's (all 60,000 for a full run).")
    private Integer trainLimit;

    @Option(names = "--test-limit", description = "Use at most this many test examples. Default: the experiment's.")
    private Integer testLimit;

    @Option(names = "--data", defaultValue = "auto", description = "auto, fashion-mnist, iris or a folder of IDX "
            + "files. Default: ${DEFAULT-VALUE}.")
    private String data;

    @Option(names = "--seed", defaultValue = "42", description = "First seed. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Mixin
    private ThreadsOption threads;

    @Option(names = "--out", required = true, description = "Output folder (created; files in it are replaced).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        // Everything is checked and the data read before the first file is written: a bad option leaves nothing.
        Experiment experiment = name.create();
        Scale scale = (quick ? experiment.quickScale() : experiment.fullScale())
                .with(seeds, epochs, trainLimit, testLimit);
        experiment.validate(scale);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out must be a folder, found the file " + out);
        }
        DataSource source = DataSource.parse(data);
        LoadedData loaded = source.load(scale.trainLimit(), scale.testLimit(), DataType.FLOAT, seed);
        console.println("threads: " + threads.apply());
        console.println("data: " + loaded.source() + "; " + loaded.train().numExamples() + " training, "
                + loaded.test().numExamples() + " test examples");
        Files.createDirectories(out);

        Machine machine = Machine.current();
        long start = System.nanoTime();
        ExperimentResult result = experiment.run(new ExperimentContext(scale, quick, seed, loaded, out,
                new PrintStream(System.err, true)));
        double seconds = (System.nanoTime() - start) / 1e9;
        String command = TOOL + " " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        ExperimentReport report = new ExperimentReport(name.toString(), command, quick, scale, loaded.source(),
                machine, Provenance.current(), seconds, result.tables(), result.claims(), result.plots(),
                result.data());
        report.write(out);
        report.printSummary(console);
        console.println("wrote " + out.resolve(ExperimentReport.JSON) + ", " + ExperimentReport.MARKDOWN
                + (result.plots().isEmpty() ? "" : ", " + String.join(", ", result.plots())));
        return 0;
    }
}
