// Notebook 5: adaptive training with the listener, and plots.
// Open with:  jshell --class-path dl4j-isotropic-examples/target/isotropic.jar \
//                    dl4j-isotropic-examples/notebooks/05-adaptive-training.jsh
//
// The NeuroadaptationListener keeps K scaffold neurons (singular value <= tau) in every hidden layer: it grows a
// layer when training lifts its scaffolds above tau and prunes neurons that decay below it, once per epoch, inside
// the ordinary fit(). Widths follow the task: here classes 0-4 first, then all ten.

import java.nio.file.Files;
import org.nd4j.linalg.api.buffer.DataType;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.report.Plots;
import org.dl4jisotropic.examples.train.*;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.core.runtime.NativeThreads;

// ND4J's native threads for this machine (see the README, "Performance"); OMP_NUM_THREADS overrides it.
System.out.println("native threads: " + NativeThreads.applyDefaults());

int EPOCHS = Integer.getInteger("notebook.epochs", 6);
int TRAIN = Integer.getInteger("notebook.train", 20000);
var data = LoadedData.resolve("auto", TRAIN, 5000, DataType.FLOAT, 42L);
String tasks = data.classes() == 10 && EPOCHS >= 2 ? "0-4@1,0-9@" + (EPOCHS / 2 + 1) : "";
var config = new TrainingConfig("auto", java.util.List.of(32, 32), EPOCHS, 64, 1e-3, "adam", "isotropic-tanh", true,
        0.95, 5, 4, 512, DataType.FLOAT, 42L, tasks, TRAIN, 5000);
var result = new TrainingRun(config, data, System.out).run(null);
for (var e : result.epochs()) {
    System.out.printf("epoch %d classes %s widths %s accuracy %.2f%%, %d adaptation events%n", e.epoch(),
            e.activeClasses(), e.widths(), 100 * e.testAccuracy(), e.events().size());
}
var plots = Files.createTempDirectory("isotropic-plots");
Plots.widths(config.hidden(), result.epochs(), plots.resolve("widths.png"));
Plots.curves(result.epochs(), plots.resolve("curves.png"));
Plots.spectra(new NetworkSurgeon(result.network()).inspect(), 0.95, plots.resolve("spectra.png"));
System.out.println("plots in " + plots);
