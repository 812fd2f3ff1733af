package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.dl4jisotropic.examples.train.EpochTrainer;
import org.dl4jisotropic.layers.adapt.AdaptationSchedule;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

/**
 * Experiment 2 of the paper, singular-value evolution: an adaptive 784-256-256-10 run (tau 0.95, K 5, one round per
 * epoch) whose per-layer singular spectra are read after initialization and after every epoch (after that epoch's
 * adaptation round), plotted per layer with one curve per epoch. Reading the spectra does not change the network.
 *
 * <p>What it shows: training lifts the neurons the task needs above tau, and the scaffold policy keeps K at or below
 * it, so each layer's spectrum ends with K values at or below tau (the claim checked on the last epoch).
 */
public final class SpectraExperiment implements Experiment {

    static final double TAU = 0.95;
    static final int SCAFFOLD = 5;
    private static final List<Integer> FULL_WIDTHS = List.of(256, 256);
    private static final List<Integer> QUICK_WIDTHS = List.of(16, 16);

    @Override
    public Scale fullScale() {
        return new Scale(1, 10, 60_000, 10_000);
    }

    @Override
    public Scale quickScale() {
        return new Scale(1, 2, 600, 300);
    }

    /**
     * The spectra after one epoch (epoch 0: after initialization).
     *
     * @param epoch    epoch, 0 for the initial network
     * @param widths   hidden widths
     * @param accuracy test accuracy (NaN for epoch 0)
     * @param spectra  per hidden layer, singular values largest first
     */
    public record EpochSpectra(int epoch, List<Long> widths, double accuracy, List<double[]> spectra) {
    }

    @Override
    public ExperimentResult run(ExperimentContext context) throws IOException {
        List<Integer> widths = context.quick() ? QUICK_WIDTHS : FULL_WIDTHS;
        MultiLayerNetwork net = ExperimentNetworks.mlp(context.data(), widths, context.seed());
        NeuroadaptationListener adaptation = NeuroadaptationListener.builder(net)
                .schedule(AdaptationSchedule.everyEpochs(1)).threshold(TAU).scaffoldBuffer(SCAFFOLD)
                .seed(context.seed()).build();
        List<EpochSpectra> history = new ArrayList<>();
        history.add(read(net, 0, Double.NaN));
        int epochs = context.scale().epochs();
        try (Progress progress = context.progress("spectra", epochs);
             EpochTrainer trainer = ExperimentNetworks.trainer(net, adaptation)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                progress.doing("epoch " + epoch + ", widths " + NetworkSurgeon.hiddenWidths(net));
                ExperimentNetworks.fitEpoch(trainer, context.data().train());
                history.add(read(net, epoch, ExperimentNetworks.accuracy(net, context.data().test())));
                progress.step();
            }
        }

        int layers = widths.size();
        List<String> columns = new ArrayList<>(List.of("epoch", "widths", "test accuracy"));
        for (int l = 0; l < layers; l++) {
            columns.add("layer " + l + ": largest, median, smallest singular value");
            columns.add("layer " + l + ": neurons <= tau");
        }
        ResultTable.Builder table = ResultTable.builder("Singular spectra per epoch (adaptive run from "
                + widths + ", tau " + TAU + ", K " + SCAFFOLD + ")", columns.toArray(new String[0]));
        for (EpochSpectra e : history) {
            List<Object> row = new ArrayList<>(List.of(e.epoch(), e.widths(), Double.isNaN(e.accuracy()) ? "-"
                    : String.format("%.2f%%", 100 * e.accuracy())));
            for (double[] s : e.spectra()) {
                row.add(String.format("%.3f, %.3f, %.3f", s[0], s[s.length / 2], s[s.length - 1]));
                row.add(new SingularSpectrum(s).countAtMost(TAU));
            }
            table.row(row.toArray());
        }

        List<String> plots = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            Chart chart = Chart.of("Singular spectrum of hidden layer " + l + " after each epoch (tau " + TAU + ")",
                    "neuron (by importance)", "singular value");
            int longest = 1;
            for (EpochSpectra e : history) {
                double[] s = e.spectra().get(l);
                longest = Math.max(longest, s.length);
                chart.plainLine("epoch " + e.epoch(), indices(s.length), s);
            }
            chart.plainLine("tau", new double[] {0, longest - 1}, new double[] {TAU, TAU});
            String file = "spectra-layer" + l + ".png";
            chart.save(context.out().resolve(file));
            plots.add(file);
        }

        EpochSpectra last = history.get(history.size() - 1);
        List<Integer> scaffolds = last.spectra().stream().map(s -> new SingularSpectrum(s).countAtMost(TAU))
                .toList();
        Claim claim = new Claim("after the last epoch's round every hidden layer keeps K = " + SCAFFOLD
                + " neurons at or below tau", scaffolds.stream().allMatch(c -> c == SCAFFOLD),
                "neurons <= tau per layer: " + scaffolds + "; final widths " + last.widths());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tau", TAU);
        data.put("scaffold", SCAFFOLD);
        data.put("epochs", history);
        return new ExperimentResult(List.of(table.build()), List.of(claim), plots, data);
    }

    private static EpochSpectra read(MultiLayerNetwork net, int epoch, double accuracy) {
        List<double[]> spectra = new ArrayList<>();
        for (SingularSpectrum s : new NetworkSurgeon(net).spectra()) {
            spectra.add(s.values());
        }
        return new EpochSpectra(epoch, NetworkSurgeon.hiddenWidths(net), accuracy, spectra);
    }

    private static double[] indices(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }
}
