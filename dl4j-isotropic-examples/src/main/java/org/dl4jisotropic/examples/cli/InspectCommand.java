package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.core.surgery.LayerInsight;
import org.dl4jisotropic.examples.report.Plots;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic inspect}: widths, spectra, o and |psi| per hidden layer of a saved model. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show each hidden layer's width, intrinsic length o, |psi|, singular spectrum and, for "
                + "diagonal layers, the strongest one-to-one connections.")
public final class InspectCommand implements Callable<Integer> {

    private static final int SHOWN = 8;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, description = "Input model.zip.")
    private Path model;

    @Option(names = "--png", description = "Folder to write spectra.png to.")
    private Path png;

    @Option(names = "--tau", defaultValue = "0.95",
            description = "Threshold counted and drawn. Default: ${DEFAULT-VALUE}.")
    private double tau;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("--tau must be finite and > 0, found " + tau);
        }
        if (png != null && Files.exists(png) && !Files.isDirectory(png)) {
            throw new IllegalArgumentException("--png must be a folder, found the file " + png);
        }
        MultiLayerNetwork net = SavedModel.load(model);
        List<LayerInsight> insights = SavedModel.surgeon(net, model).inspect();
        List<Integer> dl4jIndices = NetworkSurgeon.hiddenLayerIndices(net);
        for (LayerInsight layer : insights) {
            double[] spectrum = layer.spectrum().values();
            console.printf("layer %d%s: width %d, o = %.3g (%s), |psi| = %.4f, %d neurons with singular value <= %.2f%n",
                    layer.layer(), whereIs(net, layer.layer(), dl4jIndices.get(layer.layer())), layer.width(),
                    layer.intrinsicLength().squaredLength(),
                    layer.intrinsicLength().mode().name().toLowerCase(), layer.psiNorm(),
                    layer.spectrum().countAtMost(tau), tau);
            console.println("  largest singular values: " + format(Arrays.copyOf(spectrum,
                    Math.min(SHOWN, spectrum.length))));
            layer.diagonalStrengths().ifPresent(d -> console.println("  strongest one-to-one connections: "
                    + IntStream.range(0, d.length).boxed().sorted(Comparator.comparingDouble(i -> -Math.abs(d[i])))
                    .limit(SHOWN).map(i -> i + "->" + i + ": " + String.format("%.4f", d[i]))
                    .collect(Collectors.joining(", "))));
        }
        if (png != null) {
            Files.createDirectories(png);
            Plots.spectra(insights, tau, png.resolve("spectra.png"));
            console.println("wrote " + png.resolve("spectra.png"));
        }
        return 0;
    }

    private static String format(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format("%.4f", v)).collect(Collectors.joining(", "));
    }

    /**
     * Where a hidden layer sits when the numbering differs from DL4J's (CNNs: pooling and activation layers in
     * between) or the layer is a convolution, whose width counts channels; empty for an MLP.
     */
    private static String whereIs(MultiLayerNetwork net, int hidden, int dl4jIndex) {
        Object layer = net.getLayerWiseConfigurations().getConf(dl4jIndex).getLayer();
        boolean convolution = layer instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
        if (hidden == dl4jIndex && !convolution) {
            return "";
        }
        return " (DL4J layer " + dl4jIndex + ", " + layer.getClass().getSimpleName() + (convolution ? ", channels"
                : "") + ")";
    }
}
