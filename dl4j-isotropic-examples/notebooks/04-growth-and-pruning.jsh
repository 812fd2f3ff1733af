// Notebook 4: growth and pruning with exactness figures.
// Open with:  jshell --class-path dl4j-isotropic-examples/target/isotropic.jar \
//                    dl4j-isotropic-examples/notebooks/04-growth-and-pruning.jsh
//
// Neurogenesis appends scaffold neurons with zero fan-in and bias: their pre-activation is exactly 0, so they add
// nothing to the norm and the function is unchanged. Neurodegeneration removes the smallest-singular-value neurons;
// a removed neuron that was a constant b* is compensated exactly by o <- o + b*^2 and psi <- psi + b* w*.
// Otherwise the change is bounded linearly by the removed singular value.

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
var net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE)
        .updater(new Adam(1e-3)).list()
        .layer(new IsotropicDenseLayer.Builder().nOut(32).psiL2(0.1).build())
        .layer(new IsotropicDenseLayer.Builder().nOut(32).psiL2(0.1).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(data.classes()).build())
        .setInputType(InputType.feedForward(data.inputs())).build());
net.init();
net.fit(new ViewIterator(data.train(), 64), EPOCHS);
var x = data.test().getFeatures();
var surgeon = new NetworkSurgeon(net).withProbe(x);

var grow = surgeon.grow(1, 16, 42L);
System.out.println("grow: width " + grow.widthBefore() + " -> " + grow.widthAfter() + ", measured change "
        + grow.maxOutputChange().getAsDouble());

var back = surgeon.shrink(1, 16);
System.out.println("shrink the 16 scaffolds again: removed singular values " + back.removedSingularValues()
        + ", measured change " + back.maxOutputChange().getAsDouble());

// Now prune real neurons: the weakest ones first. The change grows with the removed singular values.
for (int k : new int[] {2, 4, 8}) {
    var copy = net.clone();
    var report = new NetworkSurgeon(copy).withProbe(x).shrink(1, k);
    System.out.printf("remove %d neurons: largest removed singular value %.3f, bound %.3f, measured %.4f, "
            + "test accuracy %.2f%%%n", k, report.removedSingularValues().get(k - 1), report.errorBound().getAsDouble(),
            report.maxOutputChange().getAsDouble(), 100 * copy.evaluate(new ViewIterator(data.test(), 1000)).accuracy());
}
