package org.dl4jisotropic.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.report.Plots;
import org.dl4jisotropic.examples.report.RunReport;
import org.dl4jisotropic.examples.spark.SparkSupport;
import org.dl4jisotropic.examples.train.EpochTrainer;
import org.dl4jisotropic.examples.train.LocalEpochTrainer;
import org.dl4jisotropic.examples.train.EpochSummary;
import org.dl4jisotropic.examples.train.HiddenActivation;
import org.dl4jisotropic.examples.train.ModelKind;
import org.dl4jisotropic.examples.train.Pooling;
import org.dl4jisotropic.examples.train.Precision;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.examples.train.TrainingRun;
import org.dl4jisotropic.examples.train.Updater;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code isotropic train}: trains an MLP or a CNN ({@code --model}), in this JVM or on Spark ({@code --spark MASTER}), and writes report.json,
 * model.zip, events.jsonl and PNG plots.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an isotropic MLP or CNN (or an elementwise baseline in the same harness) and write "
                + "report.json, model.zip, events.jsonl and plots to --out.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", defaultValue = "auto", description = "auto (Fashion-MNIST if installed, else the bundled "
            + "Iris set), fashion-mnist, iris, or a folder of IDX files. Default: ${DEFAULT-VALUE}.")
    private String data;

    @Option(names = "--model", defaultValue = "mlp", description = "${COMPLETION-CANDIDATES}: an MLP, or a "
            + "convolutional network on images (5x5 convolutions, each followed by 2x2 pooling, then one dense hidden "
            + "layer). Default: ${DEFAULT-VALUE}.")
    private ModelKind model;

    @Option(names = "--hidden", split = ",", description = "Initial hidden widths; for --model cnn the channels of "
            + "each convolution, then the dense width. Default: 256,256 (mlp), 32,64,128 (cnn).")
    private List<Integer> hidden;

    @Option(names = "--pooling", description = "${COMPLETION-CANDIDATES}: the 2x2 pooling after each convolution of "
            + "--model cnn (max only with elementwise activations). Default: avg.")
    private Pooling pooling;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    private int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    private double lr;

    @Option(names = "--updater", defaultValue = "adam",
            description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private Updater updater;

    @Option(names = "--activation", defaultValue = "isotropic-tanh",
            description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private HiddenActivation activation;

    @Option(names = "--adapt", description = "Adapt hidden widths during training (scaffold policy every epoch).")
    private boolean adapt;

    @Option(names = "--tau", defaultValue = "0.95", description = "Scaffold threshold tau. Default: ${DEFAULT-VALUE}.")
    private double tau;

    @Option(names = "--scaffold", defaultValue = "5", description = "Scaffold buffer K. Default: ${DEFAULT-VALUE}.")
    private int scaffold;

    @Option(names = "--min-width", defaultValue = "1", description = "Smallest width. Default: ${DEFAULT-VALUE}.")
    private int minWidth;

    @Option(names = "--max-width", defaultValue = "4096", description = "Largest width. Default: ${DEFAULT-VALUE}.")
    private int maxWidth;

    @Option(names = "--dtype", defaultValue = "float",
            description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private Precision dtype;

    @Option(names = "--seed", defaultValue = "42", description = "Seed. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--tasks", defaultValue = "", description = "Task schedule, e.g. 0-4@1,0-9@4,5-9@8: classes "
            + "switched on at epochs (from 1). Default: all classes throughout.")
    private String tasks;

    @Option(names = "--train-limit", defaultValue = "60000", description = "Use at most this many training examples "
            + "(IDX data). Default: ${DEFAULT-VALUE}.")
    private int trainLimit;

    @Option(names = "--test-limit", defaultValue = "10000", description = "Use at most this many test examples "
            + "(IDX data). Default: ${DEFAULT-VALUE}.")
    private int testLimit;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Apache Spark with DL4J's parameter "
            + "averaging (widths adapt on the driver between epochs): local[2], spark://host:7077, ... Needs Spark on "
            + "the class path: bin/isotropic-spark or spark-submit. Default: this JVM.")
    private String spark;

    @Option(names = "--averaging-frequency", description = "With --spark: minibatches per worker between parameter "
            + "averages. Default: 5.")
    private Integer averagingFrequency;

    @Mixin
    private ThreadsOption threads;

    @Option(names = "--out", required = true, description = "Output folder (created; files in it are replaced).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        // Everything is checked and the data read before the first file is written: a bad option leaves nothing.
        TrainingConfig config = configuration();
        validateRunOptions();
        LoadedData loaded = config.data().load(trainLimit, testLimit, config.dtype(), seed);
        console.println("threads: " + threads.apply());
        console.println("data: " + loaded.source() + "; " + loaded.train().numExamples() + " training, "
                + loaded.test().numExamples() + " test examples, " + loaded.inputs() + " features, "
                + loaded.classes() + " classes");
        TrainingRun.Result result;
        try (EpochTrainer trainer = spark == null ? new LocalEpochTrainer()
                : SparkSupport.trainer(spark, averagingFrequency == null ? 5 : averagingFrequency)) {
            Files.createDirectories(out);
            Path events = out.resolve("events.jsonl");
            Files.write(events, new byte[0]);   // always present; empty when widths do not adapt
            result = new TrainingRun(config, loaded, new PrintStream(System.err, true)).run(events, trainer);
        }

        ModelSerializer.writeModel(result.network(), out.resolve("model.zip").toFile(), true);
        RunReport.write(RunReport.of(config, loaded, result), out.resolve("report.json"));
        Plots.widths(config.hidden(), result.epochs(), out.resolve("widths.png"));
        Plots.curves(result.epochs(), out.resolve("curves.png"));
        boolean spectra = config.model().surgery(config.activation());
        if (spectra) {
            Plots.spectra(new NetworkSurgeon(result.network()).inspect(), tau, out.resolve("spectra.png"));
        }
        printSummary(console, result.epochs());
        console.println("wrote " + out.resolve("report.json") + ", model.zip, events.jsonl, widths.png, curves.png"
                + (spectra ? ", spectra.png" : ""));
        return 0;
    }

    /** The options as a checked configuration (data located, task schedule checked against its classes). */
    private TrainingConfig configuration() {
        return TrainingConfig.builder().data(data).model(model).pooling(pooling).hidden(hidden).epochs(epochs).batch(batch).learningRate(lr)
                .updater(updater).activation(activation).adapt(adapt).tau(tau).scaffold(scaffold)
                .widthRange(minWidth, maxWidth).dtype(dtype).seed(seed).tasks(tasks).trainLimit(trainLimit)
                .testLimit(testLimit).build();
    }

    /** The options that are not part of the configuration: where and how the run happens. */
    private void validateRunOptions() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out must be a folder, found the file " + out);
        }
        if (spark == null && averagingFrequency != null) {
            throw new IllegalArgumentException("--averaging-frequency only applies with --spark MASTER");
        }
        if (averagingFrequency != null && averagingFrequency < 1) {
            throw new IllegalArgumentException("--averaging-frequency must be >= 1, found " + averagingFrequency);
        }
        if (spark != null) {
            if (spark.isBlank()) {
                throw new IllegalArgumentException("--spark must be a Spark master URL such as local[2], found an "
                        + "empty value");
            }
            if (model != ModelKind.MLP) {
                throw new IllegalArgumentException("--spark trains --model mlp only, found --model " + model
                        + "; train it in this JVM (without --spark)");
            }
            // Without Spark on the class path this fails at once, with advice.
            SparkSupport.requireOnClassPath();
        }
    }

    private static void printSummary(PrintWriter out, List<EpochSummary> epochs) {
        out.printf("%-6s %-18s %-11s %-13s %-9s %-10s%n", "epoch", "widths", "train loss", "test accuracy", "seconds",
                "examples/s");
        for (EpochSummary e : epochs) {
            out.printf("%-6d %-18s %-11.4f %-13s %-9.1f %-10.0f%n", e.epoch(), e.widths(), e.trainLoss(),
                    String.format("%.2f%%", 100 * e.testAccuracy()), e.seconds(), e.examplesPerSecond());
        }
    }
}
