// Notebook 5: adaptive training with the listener, and a plot of the widths.
// Open with:  jshell --class-path dl4j-isotropic-examples/target/isotropic.jar \
//                    dl4j-isotropic-examples/notebooks/05-adaptive-training.jsh
// Settings: -R-Dnotebook.epochs=N and -R-Dnotebook.train=N on the jshell command line.
//
// The NeuroadaptationListener keeps K scaffold neurons (singular value <= tau) in every hidden layer: it grows a
// layer when training lifts its scaffolds above tau and prunes neurons that decay below it, once per epoch, inside
// the ordinary fit(). Widths follow the task: here classes 0-4 first, then all ten.

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChartBuilder;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.dl4jisotropic.examples.data.ClassSubset;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.adapt.AdaptationSchedule;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.core.runtime.NativeThreads;

// ND4J's native threads for this machine (see the README, "Performance"); OMP_NUM_THREADS overrides it.
System.out.println("native threads: " + NativeThreads.applyDefaults());

int EPOCHS = Integer.getInteger("notebook.epochs", 6);
int TRAIN = Integer.getInteger("notebook.train", 20000);
var data = LoadedData.resolve("auto", TRAIN, 5000, DataType.FLOAT, 42L);
System.out.println("data: " + data.source());

// An ordinary DL4J MLP with two isotropic hidden layers of 32 neurons.
var net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3)).list()
        .layer(new IsotropicDenseLayer.Builder().nOut(32).psiL2(0.1).build())
        .layer(new IsotropicDenseLayer.Builder().nOut(32).psiL2(0.1).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(data.classes()).build())
        .setInputType(InputType.feedForward(data.inputs())).build());
net.init();

// The listener: one round per epoch, tau = 0.95 and K = 5 (the paper's values), widths kept in [4, 512]. Each round
// measures its effect on a probe batch and reports one AdaptationEvent per layer to every sink; here a list.
List<AdaptationEvent> events = new ArrayList<>();
var probe = data.test().getFeatures().get(NDArrayIndex.interval(0, Math.min(500, data.test().numExamples())),
        NDArrayIndex.all());
var listener = NeuroadaptationListener.builder(net)
        .schedule(AdaptationSchedule.everyEpochs(1))
        .threshold(0.95).scaffoldBuffer(5)
        .widthRange(4, 512)
        .probe(probe)
        .eventSink(events::add)
        .build();                  // checks the network and every setting before training starts
net.addListeners(listener);

// The task: classes 0-4 in the first half of the epochs, all classes after (on Iris, all classes throughout).
var firstTask = data.classes() == 10 ? ClassSubset.of(data.train(), Set.of(0, 1, 2, 3, 4)) : data.train();
List<List<Long>> widths = new ArrayList<>();
widths.add(NetworkSurgeon.hiddenWidths(net));
for (int epoch = 1; epoch <= EPOCHS; epoch++) {
    var train = epoch <= EPOCHS / 2 ? firstTask : data.train();
    net.fit(new ViewIterator(train, 64));   // one epoch; the listener adapts the widths at its end
    widths.add(NetworkSurgeon.hiddenWidths(net));
    System.out.printf("epoch %d: %d examples, widths %s, test accuracy %.2f%%%n", epoch, train.numExamples(),
            widths.get(epoch), 100 * net.evaluate(new ViewIterator(data.test(), 1000)).accuracy());
}

// Every round left a record: what it did to each layer, the error bound and the measured logit change.
for (var e : events) {
    System.out.printf("epoch %d, layer %d: %s %d, bound %s, measured change %.2e, widths %s%n", e.epoch(), e.layer(),
            e.operation(), e.report().count(), e.report().errorBound(), e.report().maxOutputChange().orElse(0.0),
            e.widths());
}

// The network is still an ordinary MultiLayerNetwork: its spectra show the K scaffolds at the bottom.
for (var layer : new NetworkSurgeon(net).inspect()) {
    System.out.printf("layer %d: width %d, %d scaffolds (singular value <= 0.95)%n", layer.layer(), layer.width(),
            layer.spectrum().countAtMost(0.95));
}

// Widths per epoch, drawn with XChart.
var chart = new XYChartBuilder().width(800).height(500).title("Hidden widths during training").xAxisTitle("epoch")
        .yAxisTitle("neurons").build();
for (int l = 0; l < widths.get(0).size(); l++) {
    List<Integer> x = new ArrayList<>();
    List<Long> y = new ArrayList<>();
    for (int epoch = 0; epoch < widths.size(); epoch++) {
        x.add(epoch);
        y.add(widths.get(epoch).get(l));
    }
    chart.addSeries("layer " + l, x, y);
}
var plot = Files.createTempDirectory("isotropic-plots").resolve("widths");
BitmapEncoder.saveBitmap(chart, plot.toString(), BitmapEncoder.BitmapFormat.PNG);
System.out.println("plot: " + plot + ".png");
