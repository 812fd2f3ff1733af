package org.dl4jisotropic.examples.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.ClassSubset;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.adapt.JsonLinesEventSink;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training harness behind {@code isotropic train} and the notebooks: builds the network of the configured
 * {@link ModelKind}, trains it epoch by epoch on
 * the active classes (with the adaptation listener when asked), shows a progress bar per epoch, and records one
 * {@link EpochSummary} per epoch. Each epoch is fitted by an {@link EpochTrainer}: in this JVM by default, or on Spark.
 */
public final class TrainingRun {

    /** Test examples in the batch on which adaptation rounds measure their output change. */
    static final int PROBE_SIZE = 256;

    private final TrainingConfig config;
    private final LoadedData data;
    private final PrintStream console;

    /**
     * Prepares a run.
     *
     * @param config  the configuration
     * @param data    the data
     * @param console where progress goes (the progress bar and messages); not used for results
     */
    public TrainingRun(TrainingConfig config, LoadedData data, PrintStream console) {
        this.config = config;
        this.data = data;
        this.console = console;
    }

    /**
     * The outcome.
     *
     * @param network the trained network
     * @param epochs  one summary per epoch
     * @param spark   report.json's spark block (see {@link EpochTrainer#sparkReport()}); empty for a run in this JVM
     */
    public record Result(MultiLayerNetwork network, List<EpochSummary> epochs, Map<String, Object> spark) {
    }

    /**
     * Trains in this JVM.
     *
     * @param eventsFile where adaptation events are appended as JSON lines, or null
     * @return the network and one summary per epoch
     */
    public Result run(Path eventsFile) {
        try (EpochTrainer local = new LocalEpochTrainer()) {
            return run(eventsFile, local);
        }
    }

    /**
     * Trains with the given epoch trainer (local or Spark); the caller closes it.
     *
     * @param eventsFile where adaptation events are appended as JSON lines, or null
     * @param trainer    fits each epoch, adaptation included
     * @return the network and one summary per epoch
     */
    public Result run(Path eventsFile, EpochTrainer trainer) {
        MultiLayerNetwork net = config.model().build(config, data.inputs(), data.classes());
        TaskSchedule tasks = TaskSchedule.parse(config.tasks(), data.classes());
        List<AdaptationEvent> events = new ArrayList<>();
        NeuroadaptationListener adaptation = null;
        if (config.adapt()) {
            NeuroadaptationListener.Builder builder = NeuroadaptationListener.builder(net).threshold(config.tau())
                    .scaffoldBuffer(config.scaffold()).widthRange(config.minWidth(), config.maxWidth())
                    .seed(config.seed()).eventSink(events::add).probe(probeBatch(data.test()));
            if (eventsFile != null) {
                builder.eventSink(new JsonLinesEventSink(eventsFile));
            }
            adaptation = builder.build();
        }
        trainer.start(net, adaptation);
        List<EpochSummary> history = new ArrayList<>();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            Set<Integer> active = tasks.activeClasses(epoch);
            DataSet train = active.isEmpty() ? data.train() : ClassSubset.of(data.train(), active);
            DataSet test = active.isEmpty() ? data.test() : ClassSubset.of(data.test(), active);
            int eventsBefore = events.size();
            long start = System.nanoTime();
            double loss;
            try (ProgressBar bar = progressBar(epoch, train.numExamples())) {
                loss = trainer.fitEpoch(train, config.batch(), bar);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = net.evaluate(new ViewIterator(test, 1000)).accuracy();
            history.add(new EpochSummary(epoch, config.model().widths(net), loss, accuracy, seconds,
                    train.numExamples() / seconds, sorted(active.isEmpty() ? allClasses() : active),
                    events.subList(eventsBefore, events.size())));
            // One line per finished epoch, so that a long run shows its figures as they come.
            console.printf("epoch %d/%d: widths %s, train loss %.4f, test accuracy %.2f%%, %.1f s%n", epoch,
                    config.epochs(), history.get(history.size() - 1).widths(), loss, 100 * accuracy, seconds);
        }
        return new Result(net, history, trainer.sparkReport());
    }

    /**
     * The fixed batch on which every adaptation round's output change is measured: the first {@value #PROBE_SIZE} test
     * examples, so that each event carries a measured change next to its bound.
     */
    private static INDArray probeBatch(DataSet test) {
        long rows = Math.min(PROBE_SIZE, test.numExamples());
        return test.getFeatures().get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).dup();
    }

    private Set<Integer> allClasses() {
        return IntStream.range(0, data.classes()).boxed().collect(Collectors.toSet());
    }

    private static List<Integer> sorted(Set<Integer> classes) {
        return new ArrayList<>(new TreeSet<>(classes));
    }

    private ProgressBar progressBar(int epoch, int examples) {
        return new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, config.epochs()))
                .setInitialMax(examples).setUnit(" ex", 1).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(console, 100)).setUpdateIntervalMillis(500)
                .build();
    }
}
