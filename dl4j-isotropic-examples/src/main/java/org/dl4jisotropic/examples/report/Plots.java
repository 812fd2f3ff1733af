package org.dl4jisotropic.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dl4jisotropic.core.surgery.LayerInsight;
import org.dl4jisotropic.examples.train.EpochSummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of a run with XChart (headless): hidden widths per epoch, the singular spectrum of every hidden layer,
 * and loss and accuracy curves.
 */
public final class Plots {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Plots() {
    }

    /**
     * Hidden widths at the start (epoch 0) and after each epoch, one line per layer.
     *
     * @param initial the widths the network started with
     */
    public static void widths(List<Integer> initial, List<EpochSummary> epochs, Path file) throws IOException {
        XYChart chart = chart("Hidden widths during training", "epoch", "neurons");
        for (int l = 0; l < initial.size(); l++) {
            List<Integer> x = new ArrayList<>();
            List<Long> y = new ArrayList<>();
            x.add(0);
            y.add(initial.get(l).longValue());
            for (EpochSummary e : epochs) {
                x.add(e.epoch());
                y.add(e.widths().get(l));
            }
            chart.addSeries("layer " + l, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        save(chart, file);
    }

    /** Singular values of each hidden layer, largest first. */
    public static void spectra(List<LayerInsight> layers, double threshold, Path file) throws IOException {
        XYChart chart = chart("Singular spectrum per hidden layer (horizontal line: threshold tau)", "neuron (by importance)",
                "singular value");
        int longest = 1;
        for (LayerInsight layer : layers) {
            double[] values = layer.spectrum().values();
            longest = Math.max(longest, values.length);
            double[] x = new double[values.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            chart.addSeries("layer " + layer.layer(), x, values).setMarker(SeriesMarkers.NONE);
        }
        XYSeries tau = chart.addSeries("tau", new double[] {0, longest - 1}, new double[] {threshold, threshold});
        tau.setMarker(SeriesMarkers.NONE);
        save(chart, file);
    }

    /** Training loss and test accuracy per epoch. */
    public static void curves(List<EpochSummary> epochs, Path file) throws IOException {
        XYChart chart = chart("Training loss and test accuracy", "epoch", "value");
        double[] x = new double[epochs.size()];
        double[] loss = new double[epochs.size()];
        double[] accuracy = new double[epochs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = epochs.get(i).epoch();
            loss[i] = epochs.get(i).trainLoss();
            accuracy[i] = epochs.get(i).testAccuracy();
        }
        chart.addSeries("train loss", x, loss).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("test accuracy", x, accuracy).setMarker(SeriesMarkers.DIAMOND);
        save(chart, file);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        return new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
    }

    private static void save(XYChart chart, Path file) throws IOException {
        String name = file.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
