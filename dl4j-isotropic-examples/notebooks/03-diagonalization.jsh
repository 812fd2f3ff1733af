// Notebook 3: diagonalization and the one-to-one view.
// Open with:  jshell --class-path dl4j-isotropic-examples/target/isotropic.jar \
//                    dl4j-isotropic-examples/notebooks/03-diagonalization.jsh
//
// Because the activation only sees norms, any rotation R of a hidden layer's basis (W_l <- W_l R, b <- b R,
// W_{l+1} <- R^T W_{l+1}) leaves the network's function unchanged. The SVD of W_l picks the basis in which the
// layer's neurons are sorted by importance (singular value); with "full" diagonalization, neuron i of one layer
// feeds only neuron i of the next.

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.core.runtime.NativeThreads;

// ND4J's native threads for this machine (see the README, "Performance"); OMP_NUM_THREADS overrides it.
System.out.println("native threads: " + NativeThreads.applyDefaults());

int EPOCHS = Integer.getInteger("notebook.epochs", 2);
int TRAIN = Integer.getInteger("notebook.train", 20000);
var data = LoadedData.resolve("auto", TRAIN, 2000, DataType.DOUBLE, 42L);
var conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).updater(new Adam(1e-3)).list();
for (int i = 0; i < 3; i++) conf.layer(new IsotropicDenseLayer.Builder().nOut(24).psiL2(0.1).build());
var net = new MultiLayerNetwork(conf.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .activation(Activation.SOFTMAX).nOut(data.classes()).build())
        .setInputType(InputType.feedForward(data.inputs())).build());
net.init();
net.fit(new ViewIterator(data.train(), 64), EPOCHS);

var x = data.test().getFeatures();
var before = net.output(x);
var surgeon = new NetworkSurgeon(net);
surgeon.diagonalizeAllLeft();
System.out.printf("left-partial diagonalization: max output change %.1e%n",
        before.sub(net.output(x)).amaxNumber().doubleValue());
for (var layer : surgeon.inspect()) {
    System.out.println("layer " + layer.layer() + " singular values " + layer.spectrum());
}

surgeon.diagonalizeAlternating();
System.out.printf("alternating full diagonalization: max output change %.1e%n",
        before.sub(net.output(x)).amaxNumber().doubleValue());
var w1 = net.getLayer(1).getParam("W");
System.out.println("layer 1 weights are diagonal now; non-zeros: " + w1.neq(0.0).castTo(DataType.INT).sumNumber()
        + " of " + w1.length());
surgeon.inspect().get(1).diagonalStrengths().ifPresent(d ->
        System.out.println("one-to-one strengths (neuron i -> i): " + java.util.Arrays.toString(d)));
