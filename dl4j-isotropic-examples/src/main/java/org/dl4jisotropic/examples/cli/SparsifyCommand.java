package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.surgery.SparsificationReport;
import org.dl4jisotropic.layers.surgery.Sparsifier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic sparsify}: alternating full diagonalisation, diagonal layers stored with one weight per link. */
@Command(name = "sparsify", mixinStandardHelpOptions = true,
        description = "Make a saved model sparse with identical outputs: layers 1, 3, 5, ... fully diagonalised and "
                + "stored with one weight per connection. Prints parameters and non-zeros before and after.")
public final class SparsifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, description = "Input model.zip.")
    private Path model;

    @Option(names = "--out", required = true, description = "Output model.zip.")
    private Path out;

    @Option(names = "--data", defaultValue = "auto", description = "Data for measuring the output change (must match "
            + "the model). Default: ${DEFAULT-VALUE}.")
    private String data;

    @Option(names = "--test-limit", defaultValue = "2000", description = "Test examples used. Default: ${DEFAULT-VALUE}.")
    private int testLimit;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        MultiLayerNetwork net = SavedModel.load(model);
        Sparsifier.Result result = Sparsifier.sparsify(net, SavedModel.testInputs(net, data, testLimit));
        SparsificationReport report = result.report();
        console.println("diagonal layers: " + report.diagonalLayers());
        console.printf("parameters: %d -> %d (%.1f%% fewer)%n", report.parametersBefore(), report.parametersAfter(),
                100 * report.savedFraction());
        console.printf("non-zeros:  %d -> %d%n", report.nonzerosBefore(), report.nonzerosAfter());
        console.println("measured max output change on test data: " + report.maxOutputChange());
        SavedModel.save(result.network(), out);
        console.println("wrote " + out);
        return 0;
    }
}
