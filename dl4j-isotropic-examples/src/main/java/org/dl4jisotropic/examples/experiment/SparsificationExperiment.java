package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.train.EpochTrainer;
import org.dl4jisotropic.layers.surgery.SparsificationReport;
import org.dl4jisotropic.layers.surgery.Sparsifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Experiment 5 of the paper, sparsification against depth: networks of D hidden layers of width n (D = 2 to 16,
 * n = 128), briefly trained so that no weight matrix is still orthogonal, are sparsified
 * ({@link Sparsifier}: alternating full diagonalization, layers 1, 3, ... stored with one weight per connection).
 * Measured: parameters removed against the formula {@code ceil((D - 1) / 2) * (n^2 - n)}, the max absolute
 * difference of the outputs on the test set, and inference time of the dense and the sparse network on the test set
 * (fastest of {@value #TIMED_REPETITIONS} alternating passes after {@value #WARM_UP} warm-up passes each).
 */
public final class SparsificationExperiment implements Experiment {

    /** Largest output difference accepted as identical in float32 (rounding of a rotated computation). */
    static final double FLOAT_OUTPUT_TOLERANCE = 1e-5;
    static final int TIMED_REPETITIONS = 11;
    static final int WARM_UP = 2;

    private static final int FULL_WIDTH = 128;
    private static final List<Integer> FULL_DEPTHS = IntStream.rangeClosed(2, 16).boxed().toList();
    private static final int QUICK_WIDTH = 16;
    private static final List<Integer> QUICK_DEPTHS = List.of(2, 3, 4);

    @Override
    public Scale fullScale() {
        return new Scale(1, 1, 10_000, 10_000);
    }

    @Override
    public Scale quickScale() {
        return new Scale(1, 1, 300, 200);
    }

    /**
     * One depth.
     *
     * @param depth             hidden layers
     * @param width             their width
     * @param report            what the sparsifier saved (and its own measured output difference)
     * @param maxOutputDifference max absolute difference of the dense and sparse networks' outputs on the test set,
     *                          measured here from the two networks (not taken from the sparsifier's report)
     * @param formula           {@code ceil((D - 1) / 2) * (n^2 - n)}
     * @param denseMillis       fastest inference pass of the dense network on the test set
     * @param sparseMillis      fastest inference pass of the sparse network
     */
    public record Depth(int depth, int width, SparsificationReport report, double maxOutputDifference, long formula,
                        double denseMillis,
                        double sparseMillis) {

        /** Parameters the sparse network no longer stores. */
        public long removed() {
            return report.parametersBefore() - report.parametersAfter();
        }
    }

    /** The method notes' count of removable parameters for D hidden layers of width n. */
    static long formula(int depth, int width) {
        return (long) Math.ceil((depth - 1) / 2.0) * ((long) width * width - width);
    }

    @Override
    public ExperimentResult run(ExperimentContext context) throws IOException {
        List<Integer> depths = context.quick() ? QUICK_DEPTHS : FULL_DEPTHS;
        int width = context.quick() ? QUICK_WIDTH : FULL_WIDTH;
        INDArray test = context.data().test().getFeatures();
        List<Depth> results = new ArrayList<>();
        try (Progress progress = context.progress("sparsification", depths.size())) {
            for (int depth : depths) {
                progress.doing(depth + " hidden layers");
                MultiLayerNetwork dense = ExperimentNetworks.mlp(context.data(), Collections.nCopies(depth, width),
                        context.seed());
                try (EpochTrainer trainer = ExperimentNetworks.trainer(dense, null)) {
                    for (int e = 0; e < context.scale().epochs(); e++) {
                        ExperimentNetworks.fitEpoch(trainer, context.data().train());
                    }
                }
                Sparsifier.Result sparse = Sparsifier.sparsify(dense, test);
                double difference = dense.output(test).sub(sparse.network().output(test)).amaxNumber()
                        .doubleValue();
                double[] millis = fastestMillis(dense, sparse.network(), test);
                results.add(new Depth(depth, width, sparse.report(), difference, formula(depth, width), millis[0],
                        millis[1]));
                progress.step();
            }
        }

        ResultTable.Builder table = ResultTable.builder("Sparsification against depth (hidden width " + width
                        + ", trained " + context.scale().epochs() + " epoch(s) on " + context.data().train().numExamples()
                        + " examples; inference on " + test.size(0) + " test examples)", "hidden layers",
                "diagonal layers", "parameters dense", "parameters sparse", "removed", "formula ceil((D-1)/2)(n^2-n)",
                "saved", "max abs output difference", "dense ms", "sparse ms", "sparse / dense time");
        for (Depth d : results) {
            table.row(d.depth(), d.report().diagonalLayers(), String.format("%,d", d.report().parametersBefore()),
                    String.format("%,d", d.report().parametersAfter()), String.format("%,d", d.removed()),
                    String.format("%,d", d.formula()) + (d.removed() == d.formula() ? " (equal)" : " (DIFFERENT)"),
                    String.format("%.1f%%", 100 * d.report().savedFraction()),
                    String.format("%.2e", d.maxOutputDifference()), String.format("%.2f", d.denseMillis()),
                    String.format("%.2f", d.sparseMillis()), String.format("%.2f", d.sparseMillis() / d.denseMillis()));
        }
        boolean formulaHolds = results.stream().allMatch(d -> d.removed() == d.formula());
        double worst = results.stream().mapToDouble(Depth::maxOutputDifference).max().orElse(Double.NaN);
        List<Claim> claims = List.of(
                new Claim("parameters removed equal ceil((D-1)/2)(n^2-n) exactly at every depth", formulaHolds,
                        results.stream().map(d -> "D=" + d.depth() + ": " + d.removed() + " vs " + d.formula())
                                .reduce((a, b) -> a + "; " + b).orElse("")),
                new Claim("outputs identical (max abs difference <= " + FLOAT_OUTPUT_TOLERANCE + " in float32)",
                        worst <= FLOAT_OUTPUT_TOLERANCE, String.format("largest difference over all depths %.2e",
                        worst)),
                new Claim("the sparsified network infers no slower than the dense one at every depth",
                        results.stream().allMatch(d -> d.sparseMillis() <= d.denseMillis()),
                        results.stream().map(d -> String.format("D=%d: %.2fx", d.depth(),
                                d.sparseMillis() / d.denseMillis())).reduce((a, b) -> a + "; " + b).orElse("")));

        String plot = "sparsification-depth.png";
        double[] x = results.stream().mapToDouble(Depth::depth).toArray();
        Chart.of("Sparsification against depth", "hidden layers", "fraction of parameters removed")
                .line("measured", x, results.stream().mapToDouble(d -> d.report().savedFraction()).toArray())
                .line("formula", x, results.stream().mapToDouble(d -> (double) d.formula()
                        / d.report().parametersBefore()).toArray())
                .save(context.out().resolve(plot));
        String timing = "sparsification-time.png";
        Chart.of("Inference time on the test set (fastest of " + TIMED_REPETITIONS + " passes)", "hidden layers", "milliseconds")
                .line("dense", x, results.stream().mapToDouble(Depth::denseMillis).toArray())
                .line("sparse", x, results.stream().mapToDouble(Depth::sparseMillis).toArray())
                .save(context.out().resolve(timing));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("depths", results);
        return new ExperimentResult(List.of(table.build()), claims, List.of(plot, timing), data);
    }

    /**
     * Inference time of both networks on the same inputs: {@value #WARM_UP} warm-up passes each, then
     * {@value #TIMED_REPETITIONS} timed passes alternating dense and sparse, so that a load spike on a shared machine
     * hits both alike; the fastest pass of each (the least disturbed) is reported.
     *
     * @return {dense, sparse} milliseconds
     */
    private static double[] fastestMillis(MultiLayerNetwork dense, MultiLayerNetwork sparse, INDArray inputs) {
        for (int i = 0; i < WARM_UP; i++) {
            dense.output(inputs);
            sparse.output(inputs);
        }
        double[] fastest = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        MultiLayerNetwork[] nets = {dense, sparse};
        for (int i = 0; i < TIMED_REPETITIONS; i++) {
            for (int n = 0; n < nets.length; n++) {
                long start = System.nanoTime();
                nets[n].output(inputs);
                fastest[n] = Math.min(fastest[n], (System.nanoTime() - start) / 1e6);
            }
        }
        return fastest;
    }
}
