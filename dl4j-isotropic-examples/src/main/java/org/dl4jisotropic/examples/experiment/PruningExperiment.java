package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.examples.train.EpochTrainer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Experiment: pruning comparison. A 784-256-256-10 isotropic network is trained, then 25%, 50% and 75% of each hidden
 * layer's neurons are removed by each {@link PruningMethod}: (a) our neurodegeneration, (b) the same without the o/psi
 * updates, (c) smallest incoming weight norms, (d) random. Measured: test accuracy right after removal and after one
 * epoch of fine-tuning, the max logit change on the test set, and, for (a), each layer's measured change against its
 * a-priori bound (layer 1 and above; the first layer's input norm is unbounded, so it has none).
 *
 * <p>Also the case the o and psi updates exist for: {@value #QUICK_CONSTANT_NEURONS} (quick) or
 * {@value #FULL_CONSTANT_NEURONS} neurons per hidden layer of the trained network are made constant (incoming weights
 * and psi zero, bias {@value #CONSTANT_BIAS}) and removed with and without the updates.
 */
public final class PruningExperiment implements Experiment {

    static final double[] FRACTIONS = {0.25, 0.5, 0.75};
    static final int FULL_CONSTANT_NEURONS = 8;
    static final int QUICK_CONSTANT_NEURONS = 2;
    static final double CONSTANT_BIAS = 0.5;
    private static final List<Integer> FULL_WIDTHS = List.of(256, 256);
    private static final List<Integer> QUICK_WIDTHS = List.of(16, 16);

    @Override
    public Scale fullScale() {
        return new Scale(1, 10, 60_000, 10_000);
    }

    @Override
    public Scale quickScale() {
        return new Scale(1, 1, 600, 300);
    }

    /**
     * One method at one fraction.
     *
     * @param fraction          fraction of each hidden layer removed
     * @param method            how
     * @param widths            hidden widths afterwards
     * @param parameters        parameters afterwards
     * @param accuracyRemoved   test accuracy right after removal
     * @param maxLogitChange    max absolute logit change on the test set caused by the removal
     * @param stepChanges       measured max logit change of each surgery step, last layer first
     * @param stepBounds        a-priori bound of each step, last layer first (NaN: none known)
     * @param accuracyFineTuned test accuracy after one epoch of fine-tuning
     */
    public record Removal(double fraction, PruningMethod method, List<Long> widths, long parameters,
                          double accuracyRemoved, double maxLogitChange, List<Double> stepChanges,
                          List<Double> stepBounds, double accuracyFineTuned) {
    }

    /**
     * Removing constant neurons with and without the o/psi updates.
     *
     * @param method         {@link PruningMethod#SINGULAR_VALUES} or {@link PruningMethod#SINGULAR_VALUES_WITHOUT_COMPENSATION}
     * @param neurons        constant neurons per hidden layer
     * @param maxLogitChange max absolute logit change on the test set
     */
    public record ConstantRemoval(PruningMethod method, int neurons, double maxLogitChange) {
    }

    @Override
    public ExperimentResult run(ExperimentContext context) throws IOException {
        List<Integer> widths = context.quick() ? QUICK_WIDTHS : FULL_WIDTHS;
        int epochs = context.scale().epochs();
        PruningMethod[] methods = PruningMethod.values();
        INDArray probe = context.data().test().getFeatures();
        List<Removal> removals = new ArrayList<>();
        List<ConstantRemoval> constants = new ArrayList<>();
        double baseAccuracy;
        double baseFineTuned;
        double rotatedFineTuned;
        try (Progress progress = context.progress("pruning", epochs + 2 + (long) FRACTIONS.length * methods.length
                + 2)) {
            MultiLayerNetwork trained = ExperimentNetworks.mlp(context.data(), widths, context.seed());
            try (EpochTrainer trainer = ExperimentNetworks.trainer(trained, null)) {
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    progress.doing("training " + widths + ", epoch " + epoch);
                    ExperimentNetworks.fitEpoch(trainer, context.data().train());
                    progress.step();
                }
            }
            baseAccuracy = ExperimentNetworks.accuracy(trained, context.data().test());
            progress.doing("reference: one more epoch without removal");
            baseFineTuned = fineTune(trained.clone(), context);
            progress.step();
            // Every removal diagonalizes first, which rotates Adam's state (the second moment only approximately):
            // this reference separates that effect on fine-tuning from the removal's.
            progress.doing("reference: diagonalized, one more epoch without removal");
            MultiLayerNetwork rotated = trained.clone();
            new NetworkSurgeon(rotated).diagonalizeAllLeft();
            rotatedFineTuned = fineTune(rotated, context);
            progress.step();
            for (double fraction : FRACTIONS) {
                int[] counts = widths.stream().mapToInt(w -> (int) Math.round(fraction * w)).toArray();
                for (PruningMethod method : methods) {
                    progress.doing(method + " " + (int) (100 * fraction) + "%");
                    removals.add(remove(trained, method, fraction, counts, context, probe));
                    progress.step();
                }
            }
            int constant = context.quick() ? QUICK_CONSTANT_NEURONS : FULL_CONSTANT_NEURONS;
            for (PruningMethod method : List.of(PruningMethod.SINGULAR_VALUES,
                    PruningMethod.SINGULAR_VALUES_WITHOUT_COMPENSATION)) {
                progress.doing("constant neurons, " + method);
                constants.add(removeConstant(trained, method, constant, context, probe));
                progress.step();
            }
        }

        ResultTable.Builder table = ResultTable.builder("Pruning a trained " + widths + " network (" + epochs
                        + " epochs; unpruned: " + percent(baseAccuracy) + "; unpruned after one more epoch: "
                        + percent(baseFineTuned) + ", or " + percent(rotatedFineTuned) + " when left-diagonalized "
                        + "first, as every removal is)", "removed", "method", "widths after", "parameters",
                "accuracy right after", "max logit change", "after 1 epoch fine-tuning");
        for (Removal r : removals) {
            table.row(String.format("%.0f%%", 100 * r.fraction()), r.method().description(), r.widths(),
                    String.format("%,d", r.parameters()), percent(r.accuracyRemoved()),
                    String.format("%.3g", r.maxLogitChange()), percent(r.accuracyFineTuned()));
        }
        ResultTable.Builder bounds = ResultTable.builder("Our removal, per layer: measured max logit change "
                + "against the a-priori bound (last layer first; the first layer has no bound: its input norm is "
                + "unbounded)", "removed", "layer", "measured change", "bound", "within bound");
        for (Removal r : removals) {
            if (r.method() != PruningMethod.SINGULAR_VALUES) {
                continue;
            }
            for (int i = 0; i < r.stepChanges().size(); i++) {
                double bound = r.stepBounds().get(i);
                bounds.row(String.format("%.0f%%", 100 * r.fraction()), widths.size() - 1 - i,
                        String.format("%.3g", r.stepChanges().get(i)), Double.isNaN(bound) ? "none"
                                : String.format("%.3g", bound), Double.isNaN(bound) ? "-"
                                : r.stepChanges().get(i) <= bound ? "yes" : "NO");
            }
        }
        ResultTable.Builder constantTable = ResultTable.builder("Removing constant neurons (incoming weights and "
                + "psi 0, bias " + CONSTANT_BIAS + ") from each hidden layer", "neurons per layer", "method",
                "max logit change");
        for (ConstantRemoval c : constants) {
            constantTable.row(c.neurons(), c.method().description(), String.format("%.3g", c.maxLogitChange()));
        }

        List<Claim> claims = new ArrayList<>();
        for (double fraction : FRACTIONS) {
            claims.add(beatsStructuredPruning(removals, fraction, false));
            claims.add(beatsStructuredPruning(removals, fraction, true));
        }
        claims.add(atLeastMatchesUncompensated(removals, false));
        claims.add(atLeastMatchesUncompensated(removals, true));
        List<String> outside = new ArrayList<>();
        int checked = 0;
        for (Removal r : removals) {
            for (int i = 0; r.method() == PruningMethod.SINGULAR_VALUES && i < r.stepChanges().size(); i++) {
                if (!Double.isNaN(r.stepBounds().get(i))) {
                    checked++;
                    if (r.stepChanges().get(i) > r.stepBounds().get(i)) {
                        outside.add(String.format("%.0f%%: %.3g > %.3g", 100 * r.fraction(), r.stepChanges().get(i),
                                r.stepBounds().get(i)));
                    }
                }
            }
        }
        claims.add(new Claim("each bounded step of our removal changes the logits by no more than its bound",
                checked > 0 && outside.isEmpty(), checked + " bounded steps" + (outside.isEmpty() ? ", all within"
                : ", outside: " + outside)));
        claims.add(new Claim("with the o/psi updates, removing constant neurons changes the logits no more than "
                + "without them", constants.get(0).maxLogitChange() <= constants.get(1).maxLogitChange(),
                String.format("with: %.3g, without: %.3g", constants.get(0).maxLogitChange(),
                        constants.get(1).maxLogitChange())));

        String plot = "pruning.png";
        Chart chart = Chart.of("Accuracy right after removal (solid) and after 1 epoch of fine-tuning (dashed)",
                "fraction of each hidden layer removed", "test accuracy");
        for (PruningMethod method : methods) {
            chart.line(method.description(), FRACTIONS, removals.stream().filter(r -> r.method() == method)
                    .mapToDouble(Removal::accuracyRemoved).toArray());
            chart.dashedLine(method.description() + ", fine-tuned", FRACTIONS, removals.stream()
                    .filter(r -> r.method() == method).mapToDouble(Removal::accuracyFineTuned).toArray());
        }
        chart.save(context.out().resolve(plot));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("widths", widths);
        data.put("unprunedAccuracy", baseAccuracy);
        data.put("unprunedAccuracyAfterOneMoreEpoch", baseFineTuned);
        data.put("diagonalizedAccuracyAfterOneMoreEpoch", rotatedFineTuned);
        data.put("removals", removals);
        data.put("constantNeurons", constants);
        return new ExperimentResult(List.of(table.build(), bounds.build(), constantTable.build()), claims,
                List.of(plot), data);
    }

    private static Removal remove(MultiLayerNetwork trained, PruningMethod method, double fraction, int[] counts,
                                  ExperimentContext context, INDArray probe) {
        MultiLayerNetwork net = trained.clone();
        List<SurgeryReport> reports = method.remove(net, counts, context.seed(), probe);
        double change = ExperimentNetworks.maxLogitChange(trained, net, probe);
        double accuracy = ExperimentNetworks.accuracy(net, context.data().test());
        List<Long> widths = NetworkSurgeon.hiddenWidths(net);
        long parameters = net.numParams();
        List<Double> stepChanges = reports.stream().map(r -> r.maxOutputChange().orElse(Double.NaN)).toList();
        List<Double> stepBounds = reports.stream().map(PruningMethod::bound).toList();
        return new Removal(fraction, method, widths, parameters, accuracy, change, stepChanges, stepBounds,
                fineTune(net, context));
    }

    private static ConstantRemoval removeConstant(MultiLayerNetwork trained, PruningMethod method, int neurons,
                                                  ExperimentContext context, INDArray probe) {
        MultiLayerNetwork constant = trained.clone();
        int[] chosen = IntStream.range(0, neurons).toArray();
        int layers = constant.getnLayers() - 1;
        int[] counts = new int[layers];
        for (int layer = 0; layer < layers; layer++) {
            NeuronParameters.makeConstant(constant, layer, chosen, CONSTANT_BIAS);
            counts[layer] = neurons;
        }
        MultiLayerNetwork removed = constant.clone();
        method.remove(removed, counts, context.seed(), probe);
        return new ConstantRemoval(method, neurons, ExperimentNetworks.maxLogitChange(constant, removed, probe));
    }

    private static double fineTune(MultiLayerNetwork net, ExperimentContext context) {
        try (EpochTrainer trainer = ExperimentNetworks.trainer(net, null)) {
            ExperimentNetworks.fitEpoch(trainer, context.data().train());
        }
        return ExperimentNetworks.accuracy(net, context.data().test());
    }

    /** Ours against (c) weight norms and (d) random neurons at one fraction: strictly more accurate than both. */
    private static Claim beatsStructuredPruning(List<Removal> removals, double fraction, boolean fineTuned) {
        Removal ours = find(removals, fraction, PruningMethod.SINGULAR_VALUES);
        double mine = accuracy(ours, fineTuned);
        boolean held = true;
        StringBuilder evidence = new StringBuilder("ours " + percent(mine));
        for (PruningMethod baseline : List.of(PruningMethod.WEIGHT_NORM, PruningMethod.RANDOM)) {
            double theirs = accuracy(find(removals, fraction, baseline), fineTuned);
            held &= mine > theirs;
            evidence.append("; ").append(baseline.description()).append(' ').append(percent(theirs));
        }
        return new Claim(String.format("removing %.0f%%: ours beats weight-norm and random pruning %s",
                100 * fraction, stage(fineTuned)), held, evidence.toString());
    }

    /** Ours against (b), the same removal without the o/psi updates: at least as accurate at every fraction. */
    private static Claim atLeastMatchesUncompensated(List<Removal> removals, boolean fineTuned) {
        boolean held = true;
        List<String> evidence = new ArrayList<>();
        for (double fraction : FRACTIONS) {
            double mine = accuracy(find(removals, fraction, PruningMethod.SINGULAR_VALUES), fineTuned);
            double theirs = accuracy(find(removals, fraction,
                    PruningMethod.SINGULAR_VALUES_WITHOUT_COMPENSATION), fineTuned);
            held &= mine >= theirs;
            evidence.add(String.format("%.0f%%: %s vs %s", 100 * fraction, percent(mine), percent(theirs)));
        }
        return new Claim("ours is at least as accurate as the same removal without the o/psi updates "
                + stage(fineTuned), held, String.join("; ", evidence));
    }

    private static Removal find(List<Removal> removals, double fraction, PruningMethod method) {
        return removals.stream().filter(r -> r.fraction() == fraction && r.method() == method).findFirst()
                .orElseThrow();
    }

    private static double accuracy(Removal removal, boolean fineTuned) {
        return fineTuned ? removal.accuracyFineTuned() : removal.accuracyRemoved();
    }

    private static String stage(boolean fineTuned) {
        return fineTuned ? "after one epoch of fine-tuning" : "right after removal";
    }

    private static String percent(double accuracy) {
        return String.format("%.2f%%", 100 * accuracy);
    }
}
