package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dl4jisotropic.examples.train.EpochSummary;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.examples.train.TrainingRun;

/**
 * Experiment 1, width sweep against adaptive width: two hidden layers of fixed widths 8 to 512 against adaptive
 * runs (tau 0.95, K 5) started at 8 and at 512, each repeated over seeds; test accuracy (mean and spread), final
 * parameters and wall time per run, and a plot of accuracy against parameters.
 *
 * <p>The claim tested, per adaptive start: its mean accuracy is within {@value #ACCURACY_MARGIN_POINTS} points of the
 * best fixed width's, with fewer parameters, in less than {@value #TIME_FACTOR} times the wall time of one run of
 * that best fixed width (a sweep costs one run per width).
 */
public final class WidthSweepExperiment implements Experiment {

    /** Accuracy margin of the claim, in percentage points. */
    static final double ACCURACY_MARGIN_POINTS = 0.5;
    /** Time factor of the claim: an adaptive run against one fixed-width run. */
    static final double TIME_FACTOR = 1.5;
    /** Scaffold threshold tau and buffer K of the adaptive runs (the paper's). */
    static final double TAU = 0.95;
    static final int SCAFFOLD = 5;

    private static final List<Integer> FULL_WIDTHS = List.of(8, 16, 32, 64, 128, 256, 512);
    private static final List<Integer> FULL_STARTS = List.of(8, 512);
    private static final List<Integer> QUICK_WIDTHS = List.of(8, 16);
    private static final List<Integer> QUICK_STARTS = List.of(8, 16);

    @Override
    public Scale fullScale() {
        return new Scale(3, 10, 60_000, 10_000);
    }

    @Override
    public Scale quickScale() {
        return new Scale(1, 1, 600, 300);
    }

    /**
     * One training run.
     *
     * @param adaptive    whether widths adapted
     * @param startWidth  the width both hidden layers started at
     * @param seed        its seed
     * @param accuracy    final test accuracy
     * @param parameters  parameters of the final network
     * @param finalWidths final hidden widths
     * @param seconds     wall time of the run (training, adaptation and per-epoch evaluation)
     */
    public record Run(boolean adaptive, int startWidth, long seed, double accuracy, long parameters,
                      List<Long> finalWidths, double seconds) {
    }

    /**
     * The runs of one network kind (a fixed width, or adaptive from a start width), summarized over seeds.
     *
     * @param label      e.g. "fixed 64" or "adaptive from 512"
     * @param adaptive   whether widths adapted
     * @param startWidth the start (or fixed) width
     * @param accuracy   test accuracy over seeds
     * @param parameters final parameters over seeds
     * @param seconds    wall time per run over seeds
     * @param widths     final widths of each seed's run
     */
    public record Group(String label, boolean adaptive, int startWidth, Statistics accuracy, Statistics parameters,
                        Statistics seconds, List<List<Long>> widths) {
    }

    @Override
    public ExperimentResult run(ExperimentContext context) throws IOException {
        List<Integer> widths = context.quick() ? QUICK_WIDTHS : FULL_WIDTHS;
        List<Integer> starts = context.quick() ? QUICK_STARTS : FULL_STARTS;
        int seeds = context.scale().seeds();
        List<Run> runs = new ArrayList<>();
        try (Progress progress = context.progress("width sweep", (long) (widths.size() + starts.size()) * seeds)) {
            for (int s = 0; s < seeds; s++) {
                long seed = context.seed() + s;
                for (int width : widths) {
                    progress.doing("fixed " + width + ", seed " + seed);
                    runs.add(train(context, width, false, seed));
                    progress.step();
                }
                for (int start : starts) {
                    progress.doing("adaptive from " + start + ", seed " + seed);
                    runs.add(train(context, start, true, seed));
                    progress.step();
                }
            }
        }
        List<Group> fixed = new ArrayList<>();
        for (int width : widths) {
            fixed.add(group(runs, false, width));
        }
        List<Group> adaptive = new ArrayList<>();
        for (int start : starts) {
            adaptive.add(group(runs, true, start));
        }
        Group best = fixed.stream().max((a, b) -> Double.compare(a.accuracy().mean(), b.accuracy().mean()))
                .orElseThrow();

        ResultTable.Builder table = ResultTable.builder("Width sweep against adaptive width (" + seeds
                        + " seed(s), " + context.scale().epochs() + " epochs, 784-w-w-10 isotropic MLP, Adam 1e-3, "
                        + "batch 128)", "network", "final widths (per seed)", "parameters (mean)",
                "test accuracy (mean ± std)", "min - max", "seconds per run (mean)");
        for (Group g : concat(fixed, adaptive)) {
            table.row(g.label() + (g == best ? " (best fixed)" : ""), g.widths(), String.format("%,.0f",
                    g.parameters().mean()), g.accuracy().percent(), String.format("%.2f%% - %.2f%%",
                    100 * g.accuracy().min(), 100 * g.accuracy().max()), String.format("%.1f", g.seconds().mean()));
        }

        List<Claim> claims = new ArrayList<>();
        for (Group g : adaptive) {
            double gap = 100 * (best.accuracy().mean() - g.accuracy().mean());
            double timeRatio = g.seconds().mean() / best.seconds().mean();
            boolean held = gap <= ACCURACY_MARGIN_POINTS && g.parameters().mean() < best.parameters().mean()
                    && timeRatio < TIME_FACTOR;
            claims.add(new Claim(g.label() + " ends within " + ACCURACY_MARGIN_POINTS + " points of the best fixed "
                    + "width, with fewer parameters, in < " + TIME_FACTOR + "x the time of one fixed-width run",
                    held, String.format("best fixed: %s at %.2f%% with %,.0f parameters in %.1f s; adaptive: %.2f%% "
                            + "(%.2f points below) with %,.0f parameters in %.1f s (%.2fx); the sweep took %.1f s",
                    best.label(), 100 * best.accuracy().mean(), best.parameters().mean(), best.seconds().mean(),
                    100 * g.accuracy().mean(), gap, g.parameters().mean(), g.seconds().mean(), timeRatio,
                    fixed.stream().mapToDouble(f -> f.seconds().mean()).sum())));
        }

        String plot = "width-sweep.png";
        Chart chart = Chart.of("Test accuracy against parameters (mean over seeds)", "parameters (log scale)",
                "test accuracy").logX().line("fixed widths " + widths, fixed.stream()
                        .mapToDouble(g -> g.parameters().mean()).toArray(),
                fixed.stream().mapToDouble(g -> g.accuracy().mean()).toArray());
        for (Group g : adaptive) {
            chart.points(g.label(), new double[] {g.parameters().mean()}, new double[] {g.accuracy().mean()});
        }
        chart.save(context.out().resolve(plot));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runs", runs);
        data.put("groups", concat(fixed, adaptive));
        data.put("bestFixed", best.label());
        return new ExperimentResult(List.of(table.build()), claims, List.of(plot), data);
    }

    private static Run train(ExperimentContext context, int width, boolean adaptive, long seed) {
        TrainingConfig config = TrainingConfig.builder().hidden(width, width).epochs(context.scale().epochs())
                .adapt(adaptive).tau(TAU).scaffold(SCAFFOLD).seed(seed).build();
        long start = System.nanoTime();
        // TrainingRun's per-epoch bars would interleave with the experiment's own bar.
        TrainingRun.Result result = new TrainingRun(config, context.data(),
                new PrintStream(OutputStream.nullOutputStream())).run(null);
        double seconds = (System.nanoTime() - start) / 1e9;
        EpochSummary last = result.epochs().get(result.epochs().size() - 1);
        return new Run(adaptive, width, seed, last.testAccuracy(), result.network().numParams(), last.widths(),
                seconds);
    }

    private static Group group(List<Run> runs, boolean adaptive, int width) {
        List<Run> mine = runs.stream().filter(r -> r.adaptive() == adaptive && r.startWidth() == width).toList();
        return new Group((adaptive ? "adaptive from " : "fixed ") + width, adaptive, width,
                Statistics.of(mine.stream().map(Run::accuracy).toList()),
                Statistics.of(mine.stream().map(r -> (double) r.parameters()).toList()),
                Statistics.of(mine.stream().map(Run::seconds).toList()),
                mine.stream().map(Run::finalWidths).toList());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
