// Notebook 7: isotropic convolutional networks; channel surgery and channel counts that adapt during training.
// Open with:  jshell --class-path dl4j-isotropic-examples/target/isotropic.jar \
//                    dl4j-isotropic-examples/notebooks/07-convolutional-networks.jsh
// Settings: -R-Dnotebook.epochs=N and -R-Dnotebook.train=N on the jshell command line. Needs image data
// (Fashion-MNIST: apt-get install dataset-fashion-mnist).
//
// An isotropic activation over the channels at each position commutes with every rotation of the channels, so the
// surgery of notebooks 3 and 4 works on convolutions too: a rotation of a layer's channels acts on the next
// convolution's kernels (or the flattened dense weights) as R (x) I_k, with k kernel taps (or positions).

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.dl4jisotropic.core.runtime.NativeThreads;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.adapt.AdaptationSchedule;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.dl4jisotropic.layers.conf.NormMaxPooling2D;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

System.out.println("native threads: " + NativeThreads.applyDefaults());

int EPOCHS = Integer.getInteger("notebook.epochs", 2);
int TRAIN = Integer.getInteger("notebook.train", 12000);
var data = LoadedData.resolve("auto", TRAIN, 2000, DataType.FLOAT, 42L);
int SIDE = (int) Math.round(Math.sqrt(data.inputs()));
if (SIDE * SIDE != data.inputs()) {
    throw new IllegalStateException("this notebook needs square images (Fashion-MNIST), found " + data.source());
}
System.out.println("data: " + data.source());

// Each convolution has the identity activation and is followed by an IsotropicActivationLayer: it applies the
// isotropic tanh over the channels and passes its scale s on as one extra channel, so the next layer learns the psi
// kernel as ordinary weights and channels can later be removed exactly. Average pooling commutes with rotations of
// the channels; max pooling does not (NormMaxPooling2D is the equivariant replacement, see below).
MultiLayerNetwork cnn(int first, int second) {
    var net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3)).list()
            .layer(new ConvolutionLayer.Builder(5, 5).nOut(first).activation(Activation.IDENTITY).build())
            .layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(1e-6)).build())
            .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
            .layer(new ConvolutionLayer.Builder(5, 5).nOut(second).activation(Activation.IDENTITY).build())
            .layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(1e-6)).build())
            .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                    .nOut(data.classes()).build())
            .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1)).build());
    net.init();
    return net;
}

var net = cnn(16, 24);
net.fit(new ViewIterator(data.train(), 64), EPOCHS);
System.out.printf("trained: channels %s, test accuracy %.2f%%%n", NetworkSurgeon.hiddenWidths(net),
        100 * net.evaluate(new ViewIterator(data.test(), 500)).accuracy());

// Surgery on channels. Hidden layer h counts isotropic layers; hiddenLayerIndices maps them to DL4J's indices.
var probe = data.test().getFeatures().get(NDArrayIndex.interval(0, 256), NDArrayIndex.all());
var surgeon = new NetworkSurgeon(net).withProbe(probe);
System.out.println("hidden layers are DL4J layers " + NetworkSurgeon.hiddenLayerIndices(net));
for (var layer : surgeon.inspect()) {
    System.out.printf("hidden layer %d: %d channels, largest singular values %.3f %.3f %.3f%n", layer.layer(),
            layer.width(), layer.spectrum().values()[0], layer.spectrum().values()[1], layer.spectrum().values()[2]);
}
// Diagonalize (channels ordered by singular value), grow (inert scaffold channels) and shrink (the weakest channels
// go; the o update and the psi kernel compensate for their constant part). Each report carries the measured change
// of any logit on the probe, and for shrinking the a-priori bound.
var diagonal = surgeon.diagonalizeLeft(1);
var grown = surgeon.grow(1, 4, 7);
var shrunk = surgeon.shrink(1, 8);
System.out.printf("diagonalize: change %.1e;  grow 4: change %.1e;  shrink 8: change %.3f, bound %.3f%n",
        diagonal.maxOutputChange().getAsDouble(), grown.maxOutputChange().getAsDouble(),
        shrunk.maxOutputChange().getAsDouble(), shrunk.errorBound().getAsDouble());
System.out.println("removed singular values: " + shrunk.removedSingularValues());
System.out.println("channels now " + NetworkSurgeon.hiddenWidths(net));

// Layers that treat channels one by one break the symmetry and are refused before anything changes, naming the
// layer and the replacement.
var withMaxPooling = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
        .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).activation(new IsotropicTanh(1e-6)).build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(data.classes()).build())
        .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1)).build());
withMaxPooling.init();
try {
    new NetworkSurgeon(withMaxPooling);
} catch (IllegalArgumentException e) {
    System.out.println("refused: " + e.getMessage());
}
// NormMaxPooling2D keeps, in each window, the position whose channel vector is longest: it commutes with rotations,
// so rotation, diagonalization and growth work through it (removal does not: its choice can flip).
var withNormMax = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
        .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).activation(new IsotropicTanh(1e-6)).build())
        .layer(new NormMaxPooling2D.Builder().kernelSize(2, 2).stride(2, 2).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(data.classes()).build())
        .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1)).build());
withNormMax.init();
System.out.printf("NormMaxPooling2D: diagonalization changes the logits by %.1e%n",
        new NetworkSurgeon(withNormMax).withProbe(probe).diagonalizeLeft(0).maxOutputChange().getAsDouble());

// Adaptive channel counts inside fit: start too wide, and let the listener keep K = 4 scaffold channels per layer,
// three rounds per epoch.
var adaptive = cnn(32, 32);
List<AdaptationEvent> events = new ArrayList<>();
int ROUND = Math.max(5, data.train().numExamples() / 64 / 3);   // three rounds per epoch
adaptive.addListeners(NeuroadaptationListener.builder(adaptive).schedule(AdaptationSchedule.everyIterations(ROUND))
        .threshold(0.95).scaffoldBuffer(4).widthRange(4, 96).probe(probe).eventSink(events::add).build());
for (int epoch = 1; epoch <= EPOCHS; epoch++) {
    adaptive.fit(new ViewIterator(data.train(), 64));
    System.out.printf("adaptive epoch %d: channels %s, test accuracy %.2f%%%n", epoch,
            NetworkSurgeon.hiddenWidths(adaptive), 100 * adaptive.evaluate(new ViewIterator(data.test(), 500))
                    .accuracy());
}
System.out.printf("%d adaptation events; the last: %s%n", events.size(),
        events.isEmpty() ? "none" : events.get(events.size() - 1).toMap());
