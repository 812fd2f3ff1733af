package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.train.EpochTrainer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

/**
 * Experiment 4 of the paper, scaled: neuroabundance. For every start and target width from {16, 64, 256} (nine
 * pairs), both hidden layers of a 784-s-s-10 network train at the start width, are moved linearly to the target over
 * the middle epochs ({@link WidthSchedule}; growth adds scaffold neurons, shrinking removes the smallest singular
 * values with the o and psi updates, last layer first, optimizer state carried), then train at the target. Final
 * test accuracy as a start x target table: does starting wide and pruning beat starting narrow?
 */
public final class NeuroabundanceExperiment implements Experiment {

    private static final List<Integer> FULL_WIDTHS = List.of(16, 64, 256);
    private static final List<Integer> QUICK_WIDTHS = List.of(4, 8, 16);

    @Override
    public Scale fullScale() {
        return new Scale(1, 9, 60_000, 10_000);
    }

    @Override
    public Scale quickScale() {
        return new Scale(1, 3, 300, 200);
    }

    @Override
    public void validate(Scale scale) {
        new WidthSchedule(1, 1, scale.epochs());
    }

    /**
     * One start-target pair and seed.
     *
     * @param start       start width
     * @param target      target width
     * @param seed        seed
     * @param widths      hidden widths after each epoch
     * @param accuracy    final test accuracy
     * @param parameters  final parameters
     * @param seconds     wall time
     */
    public record Pair(int start, int target, long seed, List<List<Long>> widths, double accuracy, long parameters,
                       double seconds) {
    }

    @Override
    public ExperimentResult run(ExperimentContext context) throws IOException {
        List<Integer> widths = context.quick() ? QUICK_WIDTHS : FULL_WIDTHS;
        int seeds = context.scale().seeds();
        List<Pair> pairs = new ArrayList<>();
        try (Progress progress = context.progress("neuroabundance",
                (long) widths.size() * widths.size() * seeds * context.scale().epochs())) {
            for (int s = 0; s < seeds; s++) {
                for (int start : widths) {
                    for (int target : widths) {
                        pairs.add(train(context, new WidthSchedule(start, target, context.scale().epochs()),
                                context.seed() + s, progress));
                    }
                }
            }
        }

        List<String> columns = new ArrayList<>(List.of("start \\ target"));
        widths.forEach(t -> columns.add("target " + t));
        ResultTable.Builder grid = ResultTable.builder("Final test accuracy, start width (rows) x target width "
                + "(columns), mean over " + seeds + " seed(s), " + context.scale().epochs() + " epochs",
                columns.toArray(new String[0]));
        for (int start : widths) {
            List<Object> row = new ArrayList<>(List.of("start " + start));
            for (int target : widths) {
                row.add(String.format("%.2f%%", 100 * mean(pairs, start, target)));
            }
            grid.row(row.toArray());
        }
        ResultTable.Builder detail = ResultTable.builder("Every run: widths after each epoch", "start", "target",
                "seed", "widths after each epoch", "final parameters", "test accuracy", "seconds");
        for (Pair p : pairs) {
            detail.row(p.start(), p.target(), p.seed(), p.widths(), String.format("%,d", p.parameters()),
                    String.format("%.2f%%", 100 * p.accuracy()), String.format("%.1f", p.seconds()));
        }

        List<Claim> claims = new ArrayList<>();
        int narrow = widths.get(0);
        int middle = widths.get(1);
        int wide = widths.get(2);
        double wideToMiddle = mean(pairs, wide, middle);
        double narrowToMiddle = mean(pairs, narrow, middle);
        claims.add(new Claim("starting wide and pruning to " + middle + " beats starting narrow and growing to "
                + middle, wideToMiddle > narrowToMiddle, String.format("%d -> %d: %.2f%%, %d -> %d: %.2f%%", wide,
                middle, 100 * wideToMiddle, narrow, middle, 100 * narrowToMiddle)));
        for (int target : List.of(narrow, middle)) {
            double fixed = mean(pairs, target, target);
            double pruned = mean(pairs, wide, target);
            claims.add(new Claim("starting at " + wide + " and pruning to " + target + " beats training at "
                    + target + " throughout", pruned > fixed, String.format("%d -> %d: %.2f%%, %d fixed: %.2f%%",
                    wide, target, 100 * pruned, target, 100 * fixed)));
        }
        String plot = "neuroabundance.png";
        Chart chart = Chart.of("Final test accuracy by start width, one line per target", "start width (log scale)",
                "test accuracy").logX();
        double[] x = widths.stream().mapToDouble(Integer::doubleValue).toArray();
        for (int target : widths) {
            chart.line("target " + target, x, widths.stream().mapToDouble(s -> mean(pairs, s, target)).toArray());
        }
        chart.save(context.out().resolve(plot));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("widths", widths);
        data.put("pairs", pairs);
        return new ExperimentResult(List.of(grid.build(), detail.build()), claims, List.of(plot), data);
    }

    private static Pair train(ExperimentContext context, WidthSchedule schedule, long seed, Progress progress) {
        long started = System.nanoTime();
        MultiLayerNetwork net = ExperimentNetworks.mlp(context.data(), List.of(schedule.start(), schedule.start()),
                seed);
        List<List<Long>> widths = new ArrayList<>();
        try (EpochTrainer trainer = ExperimentNetworks.trainer(net, null)) {
            for (int epoch = 1; epoch <= schedule.epochs(); epoch++) {
                progress.doing(schedule.start() + " -> " + schedule.target() + ", epoch " + epoch);
                ExperimentNetworks.fitEpoch(trainer, context.data().train());
                resize(net, schedule.widthAfter(epoch), seed + epoch);
                widths.add(NetworkSurgeon.hiddenWidths(net));
                progress.step();
            }
        }
        return new Pair(schedule.start(), schedule.target(), seed, widths,
                ExperimentNetworks.accuracy(net, context.data().test()), net.numParams(),
                (System.nanoTime() - started) / 1e9);
    }

    /** Moves every hidden layer to {@code width}, last layer first (as an adaptation round does). */
    private static void resize(MultiLayerNetwork net, int width, long seed) {
        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        List<Long> current = NetworkSurgeon.hiddenWidths(net);
        for (int layer = current.size() - 1; layer >= 0; layer--) {
            int change = width - Math.toIntExact(current.get(layer));
            if (change > 0) {
                surgeon.grow(layer, change, seed);
            } else if (change < 0) {
                surgeon.shrink(layer, -change);
            }
        }
    }

    private static double mean(List<Pair> pairs, int start, int target) {
        return pairs.stream().filter(p -> p.start() == start && p.target() == target).mapToDouble(Pair::accuracy)
                .average().orElseThrow();
    }
}
