package org.dl4jisotropic.examples.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.adapt.ScaffoldPolicy;
import org.dl4jisotropic.core.runtime.NativeThreads;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.report.RunReport;
import org.dl4jisotropic.examples.train.ModelFactory;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.layers.surgery.Sparsifier;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reproducible subset of the benchmarks behind {@code isotropic bench}, each measured side by side in one run:
 * <ul>
 *   <li>{@code activationRatio}: isotropic tanh / DL4J's tanh, forward + backward, batch 128, n 256, float;</li>
 *   <li>{@code epochRatio}: one training epoch of a 784-256-256-10 isotropic MLP / the same with tanh;</li>
 *   <li>{@code adaptRoundFraction}: one adaptation round (both hidden layers) / one 60,000-example Fashion-MNIST
 *       epoch, width 256 (the epoch's time is scaled from the examples measured; per-minibatch cost is constant);</li>
 *   <li>{@code sparseSpeedup}: inference time of a dense 6-hidden-layer width-1024 isotropic network / its
 *       sparsified equivalent;</li>
 *   <li>{@code inferenceRatio}: {@code output()} of the 784-256-256-10 MLP on 10,000 images, isotropic / tanh.</li>
 * </ul>
 * These are quick measurements (median of alternating rounds), not JMH runs.
 */
public final class QuickBench {

    /** Training examples in one Fashion-MNIST epoch. */
    public static final int FULL_EPOCH = 60_000;

    private final PrintWriter log;
    private final int trainExamples;

    /**
     * @param log           progress messages
     * @param trainExamples training examples per epoch for the epoch measurements
     */
    public QuickBench(PrintWriter log, int trainExamples) {
        this.log = log;
        this.trainExamples = trainExamples;
    }

    /** Runs every measurement; returns the JSON-ready results. */
    public Map<String, Object> run() throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        SideBySide.Timing activation = activation();
        results.put("activationRatio", activation.ratio());
        results.put("activationNanos", Map.of("tanh", activation.baselineNanos(), "isotropic",
                activation.candidateNanos()));
        LoadedData data = LoadedData.resolve("auto", trainExamples, 1000, DataType.FLOAT, 42L);
        results.put("data", data.source() + ", " + data.train().numExamples() + " training examples per epoch");
        double[] epochs = epochs(data);
        results.put("epochRatio", epochs[1] / epochs[0]);
        results.put("epochSeconds", Map.of("tanh", epochs[0], "isotropic", epochs[1]));
        double round = adaptationRound(data);
        int measured = data.train().numExamples();
        int full = "fashion-mnist".equals(data.name()) ? FULL_EPOCH : measured;
        double fullEpoch = epochs[1] * full / measured;
        results.put("adaptRoundFraction", round / fullEpoch);
        results.put("adaptRoundSeconds", round);
        results.put("adaptRoundEpoch", Map.of("examples", full, "seconds", fullEpoch, "estimatedFrom", measured));
        SideBySide.Timing sparse = sparseInference();
        results.put("sparseSpeedup", sparse.baselineNanos() / sparse.candidateNanos());
        results.put("sparseInferenceNanos", Map.of("dense", sparse.baselineNanos(), "sparse",
                sparse.candidateNanos()));
        SideBySide.Timing inference = inference();
        results.put("inferenceRatio", inference.ratio());
        results.put("inferenceMillisPer10000", Map.of("tanh", inference.baselineNanos() / 1e6, "isotropic",
                inference.candidateNanos() / 1e6));
        results.put("threads", NativeThreads.current().toString());
        results.put("provenance", RunReport.provenance());
        return results;
    }

    private SideBySide.Timing activation() {
        log.println("activation: forward + backward, [128, 256] float, isotropic tanh vs DL4J tanh");
        INDArray a = Nd4j.randn(DataType.FLOAT, 128, 256);
        INDArray g = Nd4j.randn(DataType.FLOAT, 128, 256);
        ActivationTanH tanh = new ActivationTanH();
        IsotropicTanh isotropic = new IsotropicTanh();
        return SideBySide.measure(() -> {
            tanh.getActivation(a.dup(), true);
            tanh.backprop(a.dup(), g);
        }, () -> {
            isotropic.getActivation(a.dup(), true);
            isotropic.backprop(a.dup(), g);
        }, 200, 9);
    }

    /** Seconds per epoch: {tanh, isotropic}, median of 3 alternating epochs after one warm-up each. */
    private double[] epochs(LoadedData data) {
        log.println("epochs: 784-256-256-10, batch 128, isotropic vs tanh");
        MultiLayerNetwork tanh = ModelFactory.mlp(config("tanh"), data.inputs(), data.classes());
        MultiLayerNetwork isotropic = ModelFactory.mlp(config("isotropic-tanh"), data.inputs(), data.classes());
        SideBySide.Timing timing = SideBySide.measure(() -> tanh.fit(new ViewIterator(data.train(), 128)),
                () -> isotropic.fit(new ViewIterator(data.train(), 128)), 1, 3);
        return new double[] {timing.baselineNanos() / 1e9, timing.candidateNanos() / 1e9};
    }

    /** Seconds of one adaptation round on a width-256 network (median of 5; widths restored between rounds). */
    private double adaptationRound(LoadedData data) {
        log.println("adaptation round: width 256, both hidden layers");
        MultiLayerNetwork net = ModelFactory.mlp(config("isotropic-tanh"), data.inputs(), data.classes());
        net.fit(new ViewIterator(data.train(), 128));
        Map<Integer, ScaffoldPolicy> policies = Map.of(0, ScaffoldPolicy.paperDefaults(), 1,
                ScaffoldPolicy.paperDefaults());
        double[] seconds = new double[5];
        for (int i = 0; i < seconds.length; i++) {
            MultiLayerNetwork copy = net.clone();
            long start = System.nanoTime();
            new NetworkSurgeon(copy).adaptWidths(policies, i);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        java.util.Arrays.sort(seconds);
        return seconds[seconds.length / 2];
    }

    private SideBySide.Timing sparseInference() {
        log.println("inference: 6 hidden layers of width 1024, batch 256, dense vs sparsified");
        MultiLayerNetwork dense = BenchmarkNetworks.deepIsotropic(6, 1024);
        INDArray x = Nd4j.randn(DataType.FLOAT, 256, 1024);
        MultiLayerNetwork sparse = Sparsifier.sparsify(dense, null).network();
        return SideBySide.measure(() -> dense.output(x), () -> sparse.output(x), 5, 7);
    }

    /** {@code output()} on 10,000 images at once (synthetic pixels: time does not depend on their values). */
    private SideBySide.Timing inference() {
        log.println("inference: output() of 784-256-256-10 on 10,000 images, isotropic vs tanh");
        MultiLayerNetwork tanh = BenchmarkNetworks.mlp("tanh", List.of(256, 256));
        MultiLayerNetwork isotropic = BenchmarkNetworks.mlp("isotropic-tanh", List.of(256, 256));
        INDArray images = BenchmarkNetworks.minibatch(10_000, 11L).getFeatures();
        return SideBySide.measure(() -> tanh.output(images), () -> isotropic.output(images), 2, 5);
    }

    private TrainingConfig config(String activation) {
        return BenchmarkNetworks.mlpConfig(activation, List.of(256, 256), trainExamples);
    }
}
