// Notebook 6: sparsification.
// Open with:  jshell --class-path dl4j-isotropic-examples/target/isotropic.jar \
//                    dl4j-isotropic-examples/notebooks/06-sparsification.jsh
//
// Full diagonalization of layers 1, 3, 5, ... leaves each of them with min(nIn, nOut) non-zeros and the function
// unchanged. Stored as one weight per connection, a deep network of D hidden layers of width n then loses
// ceil((D-1)/2) (n^2 - n) parameters: approaching half for deep networks.

import java.io.File;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.Sparsifier;
import org.dl4jisotropic.core.runtime.NativeThreads;

// ND4J's native threads for this machine (see the README, "Performance"); OMP_NUM_THREADS overrides it.
System.out.println("native threads: " + NativeThreads.applyDefaults());

int EPOCHS = Integer.getInteger("notebook.epochs", 1);
int TRAIN = Integer.getInteger("notebook.train", 10000);
int DEPTH = 8;
int WIDTH = 64;
var data = LoadedData.resolve("auto", TRAIN, 2000, DataType.DOUBLE, 42L);
var conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new Adam(1e-3)).list();
for (int i = 0; i < DEPTH; i++) conf.layer(new IsotropicDenseLayer.Builder().nOut(WIDTH).psiL2(0.1).build());
var dense = new MultiLayerNetwork(conf.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .activation(Activation.SOFTMAX).nOut(data.classes()).build())
        .setInputType(InputType.feedForward(data.inputs())).build());
dense.init();
dense.fit(new ViewIterator(data.train(), 64), EPOCHS);

var result = Sparsifier.sparsify(dense, data.test().getFeatures());
var report = result.report();
System.out.println("diagonal layers " + report.diagonalLayers());
System.out.printf("parameters %d -> %d (%.1f%% fewer; formula: %d fewer)%n", report.parametersBefore(),
        report.parametersAfter(), 100 * report.savedFraction(), ((DEPTH - 1 + 1) / 2) * (WIDTH * WIDTH - WIDTH));
System.out.printf("max output change on test data %.1e%n", report.maxOutputChange());

File file = File.createTempFile("sparse", ".zip");
ModelSerializer.writeModel(result.network(), file, true);
var restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
System.out.printf("saved and restored; accuracy dense %.2f%%, sparse %.2f%%%n",
        100 * dense.evaluate(new ViewIterator(data.test(), 1000)).accuracy(),
        100 * restored.evaluate(new ViewIterator(data.test(), 1000)).accuracy());
