package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.dl4jisotropic.examples.train.Precision;
import org.dl4jisotropic.examples.verify.CheckResult;
import org.dl4jisotropic.examples.verify.InvarianceSuite;
import org.nd4j.linalg.factory.Nd4j;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic verify}: the invariance suite on the current backend; exit 1 if any property fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the active backend's SVD at layer sizes (784 x 256, 256 x 256, 1024 x 1024: whether "
                + "the native result passed its check or the JVM fallback was used), then run the exactness "
                + "properties (equivariance, gradients, diagonalization, growth, removal, optimizer-state "
                + "equivariance, sparsification) on random networks and on the 784-256-256-10 main model, on the "
                + "active ND4J backend. Use it to check a CUDA install. Exit code 1 if any property fails.")
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dtype", defaultValue = "double",
            description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private Precision dtype;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        console.println("backend: " + Nd4j.getBackend().getClass().getSimpleName() + ", dtype: " + dtype);
        List<CheckResult> results = new InvarianceSuite(dtype.dataType()).run();
        int failed = 0;
        for (CheckResult r : results) {
            console.printf("%-4s %-95s measured %-10.3g bound %.0e%n", r.passed() ? "PASS" : "FAIL", r.property(),
                    r.measured(), r.tolerance());
            failed += r.passed() ? 0 : 1;
        }
        console.println(results.size() - failed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
