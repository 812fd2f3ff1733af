package org.dl4jisotropic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.LayerInsight;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.examples.data.FashionMnist;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.adapt.AdaptationSchedule;
import org.dl4jisotropic.layers.adapt.JsonLinesEventSink;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.layers.surgery.Sparsifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The README's usage example, compiled and run as written; a second test keeps README and this copy identical. */
class ReadmeExampleTest {

    /**
     * The surgery example runs in float32 (ND4J's default): its operations are exact, so the outputs may differ
     * only by float32 rounding, about 1e-5 relative (method notes, section 10); softmax outputs are at most 1.
     */
    private static final double EXACT_F32 = 1e-5;
    /** Accuracy after two epochs on 6,000 images, far above chance (0.1) and below the converged ~0.84. */
    private static final double USAGE_ACCURACY_FLOOR = 0.6;

    @Test
    void usageExampleTrainsAndEvaluates() throws IOException {
        // README-BEGIN
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .list()
                // the paper's layer: trainable intrinsic length, psi correction, orthogonal init
                .layer(new IsotropicDenseLayer.Builder().nOut(256).psiL2(0.1).build())
                // or keep a stock layer and change only its activation
                .layer(new DenseLayer.Builder().nOut(128).activation(new IsotropicTanh()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.feedForward(784))   // infers every nIn
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        FashionMnist data = new FashionMnist(FashionMnist.DEBIAN_DIRECTORY);
        DataSet train = data.load(FashionMnist.Split.TRAIN, 6_000, DataType.FLOAT);
        DataSet test = data.load(FashionMnist.Split.TEST, 1_000, DataType.FLOAT);
        net.fit(new ViewIterator(train, 128), 2);
        Evaluation evaluation = net.evaluate(new ViewIterator(test, 500));
        System.out.println(evaluation.stats());
        // README-END
        assertTrue(evaluation.accuracy() > USAGE_ACCURACY_FLOOR, "accuracy " + evaluation.accuracy());
    }

    @Test
    void surgeryExampleKeepsTheOutputsAndShrinksTheLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(32).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(32).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(32).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 16, 784);
        INDArray before = net.output(probe);
        // SURGERY-BEGIN
        NetworkSurgeon surgeon = new NetworkSurgeon(net).withProbe(probe);   // operates on net, in place
        surgeon.diagonalizeAllLeft();                  // same function, neurons sorted by singular value
        surgeon.grow(1, 8, 42L);                       // 8 inert scaffold neurons: outputs unchanged
        SurgeryReport report = surgeon.shrink(1, 4);   // drop the 4 weakest neurons, o and psi compensate
        System.out.println(report.removedSingularValues() + " bound " + report.errorBound()
                + " measured " + report.maxOutputChange());
        for (LayerInsight layer : surgeon.inspect()) {
            System.out.println(layer.layer() + ": width " + layer.width() + ", spectrum " + layer.spectrum());
        }
        Sparsifier.Result sparse = Sparsifier.sparsify(net, probe);   // layers 1, 3, ... one weight per link
        System.out.println(sparse.report());
        // SURGERY-END
        assertEquals(36, net.getLayer(1).getParam("b").length());
        // layer 1 has fan-in 32, so at width 40 eight rows are rank-surplus: the four removed have singular value 0
        for (double removed : report.removedSingularValues()) {
            assertEquals(0.0, removed, EXACT_F32, "removed singular values " + report.removedSingularValues());
        }
        double change = before.sub(net.output(probe)).amaxNumber().doubleValue();
        assertTrue(change <= EXACT_F32, "max output change " + change);
        assertTrue(sparse.report().maxOutputChange() <= EXACT_F32, "sparsification: " + sparse.report());
    }

    @Test
    void listenerExampleAdaptsWidthsDuringFit(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(32).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(32).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        DataSet train = new FashionMnist(FashionMnist.DEBIAN_DIRECTORY).load(FashionMnist.Split.TRAIN, 2_000,
                DataType.FLOAT);
        INDArray probeInputs = train.getFeatures().getRows(0, 1, 2, 3);
        ViewIterator trainIterator = new ViewIterator(train, 100);
        Path eventsFile = dir.resolve("events.jsonl");
        // LISTENER-BEGIN
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net)
                .schedule(AdaptationSchedule.everyEpochs(1))   // or everyIterations(n)
                .threshold(0.95).scaffoldBuffer(5)             // tau and K (the paper's values)
                .widthRange(8, 512)                            // per layer: widthRange(layer, min, max)
                .probe(probeInputs)                            // optional: measure the logit change of every round
                .eventSink(new JsonLinesEventSink(eventsFile))
                .build();                                      // validates everything before training starts
        net.addListeners(listener);
        net.fit(trainIterator, 2);
        // LISTENER-END
        assertEquals(4, Files.readAllLines(eventsFile).size());
    }

    @Test
    void readmeShowsExactlyTheCodeOfThisTest() throws IOException {
        Path readme = Paths.get("..", "README.md");
        Path source = Paths.get("src", "test", "java", "org", "dl4jisotropic", "examples", "ReadmeExampleTest.java");
        for (String marker : new String[] {"README", "SURGERY", "LISTENER"}) {
            String code = block(source, "// " + marker + "-BEGIN", "// " + marker + "-END", 0);
            assertEquals(code, readmeBlockStartingLike(readme, code), marker);
        }
    }

    /** The README's Java block whose first line is the first line of {@code code} (blocks may move in the README). */
    private static String readmeBlockStartingLike(Path readme, String code) throws IOException {
        String firstLine = code.lines().findFirst().orElseThrow();
        for (int n = 0; ; n++) {
            String candidate = block(readme, "```java", "```", n);
            if (candidate.lines().findFirst().orElse("").equals(firstLine)) {
                return candidate;
            }
        }
    }

    /** The lines between the n-th pair of markers, with common indentation removed. */
    private static String block(Path file, String begin, String end, int n) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int from = text.indexOf(begin);
        for (int i = 0; i < n; i++) {
            from = text.indexOf(begin, text.indexOf(end, from + begin.length()) + end.length());
        }
        int to = text.indexOf(end, from + begin.length());
        assertTrue(from >= 0 && to > from, "markers " + begin + " ... " + end + " not found in " + file);
        String body = text.substring(text.indexOf('\n', from) + 1, to);
        int indent = body.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return body.lines().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"))
                .strip();
    }
}
