package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.nio.file.Path;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG line or scatter chart of an experiment (XChart, headless), built series by series.
 *
 * <pre>{@code
 * Chart.of("Accuracy against parameters", "parameters", "test accuracy").logX()
 *         .line("fixed width", params, accuracy).points("adaptive", adaptiveParams, adaptiveAccuracy)
 *         .save(out.resolve("width-sweep.png"));
 * }</pre>
 */
public final class Chart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 640;

    private final XYChart chart;

    private Chart(String title, String xTitle, String yTitle) {
        chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        // Below the plot, so that long series names do not squeeze it.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    }

    /** A new chart. */
    public static Chart of(String title, String xTitle, String yTitle) {
        return new Chart(title, xTitle, yTitle);
    }

    /** Logarithmic x axis. */
    public Chart logX() {
        chart.getStyler().setXAxisLogarithmic(true);
        return this;
    }

    /** Logarithmic y axis. */
    public Chart logY() {
        chart.getStyler().setYAxisLogarithmic(true);
        return this;
    }

    /** A line through the points, with circle markers. */
    public Chart line(String name, double[] x, double[] y) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        return this;
    }

    /** A dashed line through the points, with square markers (e.g. the same series after fine-tuning). */
    public Chart dashedLine(String name, double[] x, double[] y) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.SQUARE);
        series.setLineStyle(SeriesLines.DASH_DASH);
        return this;
    }

    /** A line without markers (for long series such as spectra). */
    public Chart plainLine(String name, double[] x, double[] y) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        return this;
    }

    /** Points without a line (large diamonds), e.g. the adaptive runs among the fixed widths. */
    public Chart points(String name, double[] x, double[] y) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        series.setMarker(SeriesMarkers.DIAMOND);
        return this;
    }

    /** Writes the PNG ({@code file} ends in .png). */
    public void save(Path file) throws IOException {
        String name = file.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
