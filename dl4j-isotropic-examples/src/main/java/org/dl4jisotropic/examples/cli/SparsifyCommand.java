package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.dl4jisotropic.layers.surgery.SparsificationReport;
import org.dl4jisotropic.layers.surgery.Sparsifier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic sparsify}: alternating full diagonalization, diagonal layers stored with one weight per link. */
@Command(name = "sparsify", mixinStandardHelpOptions = true,
        description = "Make a saved model sparse with identical outputs: layers 1, 3, 5, ... fully diagonalized and "
                + "stored with one weight per connection. Prints parameters and non-zeros before and after.")
public final class SparsifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelRewriteOptions files;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        ModelRewriteOptions.Loaded loaded = files.load();
        Sparsifier.Result result = Sparsifier.sparsify(loaded.net(), loaded.testInputs());
        SparsificationReport report = result.report();
        console.println("diagonal layers: " + report.diagonalLayers());
        console.printf("parameters: %d -> %d (%.1f%% fewer)%n", report.parametersBefore(), report.parametersAfter(),
                100 * report.savedFraction());
        console.printf("non-zeros:  %d -> %d%n", report.nonzerosBefore(), report.nonzerosAfter());
        console.println("measured max output change on test data: " + report.maxOutputChange());
        console.println("wrote " + files.save(result.network()));
        return 0;
    }
}
