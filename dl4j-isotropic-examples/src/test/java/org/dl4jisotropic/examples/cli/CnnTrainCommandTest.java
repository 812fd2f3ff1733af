package org.dl4jisotropic.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code train --model cnn} end to end on a tiny CNN (one epoch, 256 Fashion-MNIST images): the outputs an MLP run
 * writes, the model and pooling in report.json, the parameter count against a hand-computed value, and the saved
 * model checked by DL4J itself (reloaded and evaluated on the same test images).
 */
class CnnTrainCommandTest {

    private static final int TRAIN = 256;
    private static final int TEST = 100;
    /** --hidden 4,8,16: conv 5x5 1->4, pool, conv 5x5 4->8, pool (4x4x8), isotropic dense 16, output 10. */
    private static final long PARAMETERS = (4 * 25 + 4) + (8 * 4 * 25 + 8) + (4 * 4 * 8 * 16 + 16 + 1)
            + ((16 + 1) * 10 + 10);

    @TempDir
    static Path dir;

    private static Path run;
    private static Invocation train;
    private static Map<String, Object> report;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void trainOnce() throws IOException {
        System.setProperty("java.awt.headless", "true");
        run = dir.resolve("cnn");
        train = Invocation.of("train", "--model", "cnn", "--data", "fashion-mnist", "--hidden", "4,8,16", "--epochs",
                "1", "--batch", "64", "--train-limit", String.valueOf(TRAIN), "--test-limit", String.valueOf(TEST),
                "--out", run.toString());
        assertEquals(0, train.exitCode(), train.err());
        report = new ObjectMapper().readValue(run.resolve("report.json").toFile(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    @Test
    void reportRecordsTheModelPoolingAndChannelWidths() {
        Map<String, Object> configuration = section(report, "configuration");
        assertEquals("cnn", configuration.get("model"));
        assertEquals("avg", configuration.get("pooling"));
        assertEquals(List.of(4, 8, 16), configuration.get("hidden"));
        List<?> epochs = (List<?>) report.get("epochs");
        assertEquals(1, epochs.size());
        assertEquals(List.of(4, 8, 16), ((Map<?, ?>) epochs.get(0)).get("widths"));
        assertEquals(List.of(4, 8, 16), section(report, "final").get("widths"));
    }

    @Test
    void reportCountsTheHandComputedParameters() {
        assertEquals(PARAMETERS, ((Number) section(report, "final").get("parameters")).longValue());
    }

    @Test
    void savedModelIsTheTrainedCnnAndScoresTheReportedAccuracy() throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), false);
        assertEquals(PARAMETERS, net.numParams());
        assertInstanceOf(ConvolutionLayer.class, net.getLayer(0).conf().getLayer());
        LoadedData data = LoadedData.resolve("fashion-mnist", TRAIN, TEST, DataType.FLOAT, 42);
        double accuracy = net.evaluate(new ViewIterator(data.test(), 1000)).accuracy();
        assertEquals(((Number) section(report, "final").get("testAccuracy")).doubleValue(), accuracy, 0.0,
                "the test images go through the flat-input preprocessor as in training");
    }

    @Test
    void writesTheOutputsOfAnMlpRun() throws IOException {
        assertEquals(0, Files.size(run.resolve("events.jsonl")), "no adaptation, no events");
        for (String png : List.of("widths.png", "curves.png", "spectra.png")) {
            BufferedImage image = ImageIO.read(run.resolve(png).toFile());
            assertNotNull(image, png);
        }
        assertTrue(train.out().contains("[4, 8, 16]"), "the epoch table shows the widths: " + train.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void adaptiveChannelsAreResizedWithEveryEventMeasured() throws IOException {
        Path out = dir.resolve("adaptive");
        Invocation adapt = Invocation.of("train", "--model", "cnn", "--data", "fashion-mnist", "--hidden", "12,12,16",
                "--epochs", "2", "--batch", "64", "--train-limit", "512", "--test-limit", String.valueOf(TEST),
                "--adapt", "--scaffold", "2", "--out", out.toString());

        assertEquals(0, adapt.exitCode(), adapt.err());
        List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
        assertEquals(6, events.size(), "one event per hidden layer (2 conv, 1 dense) per epoch");
        for (String line : events) {
            Map<String, Object> event = new ObjectMapper().readValue(line, Map.class);
            assertTrue(event.get("maxOutputChange") instanceof Number, line);
        }
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), false);
        assertInstanceOf(IsotropicActivationLayer.class, net.getLayer(1).conf().getLayer(),
                "adaptive convolutions pass their scale on, so channels can be removed exactly");
        Map<String, Object> finalSection = section(new ObjectMapper().readValue(out.resolve("report.json").toFile(),
                Map.class), "final");
        assertTrue(!List.of(12, 12, 16).equals(finalSection.get("widths")), "the widths must move: "
                + finalSection.get("widths"));
    }

    @Test
    void inspectAndResizeWorkOnTheChannelsOfASavedCnn() throws IOException {
        Path out = dir.resolve("resizable");
        Invocation trained = Invocation.of("train", "--model", "cnn", "--data", "fashion-mnist", "--hidden", "6,8,16",
                "--epochs", "1", "--batch", "64", "--train-limit", "256", "--test-limit", String.valueOf(TEST),
                "--adapt", "--scaffold", "1", "--out", out.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        Path model = out.resolve("model.zip");
        long before = NetworkSurgeon.hiddenWidths(ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false))
                .get(1);

        Invocation inspect = Invocation.of("inspect", "--model", model.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("layer 1 (DL4J layer 3, ConvolutionLayer, channels): width " + before),
                inspect.out());

        Path grown = dir.resolve("grown-cnn.zip");
        Invocation resize = Invocation.of("resize", "--model", model.toString(), "--layer", "1", "--width",
                String.valueOf(before + 4), "--out", grown.toString(), "--data", "fashion-mnist", "--test-limit",
                String.valueOf(TEST));
        assertEquals(0, resize.exitCode(), resize.err());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(grown.toFile(), false);
        assertEquals(before + 4, NetworkSurgeon.hiddenWidths(net).get(1).longValue());
        assertTrue(resize.out().contains("error bound: 0.0"), resize.out());
    }

    @Test
    void reluWithMaxPoolingTrainsTheMaxPoolingBaseline() throws IOException {
        Path out = dir.resolve("relu-max");
        Invocation relu = Invocation.of("train", "--model", "cnn", "--activation", "relu", "--pooling", "max",
                "--data", "fashion-mnist", "--hidden", "4,8", "--epochs", "1", "--train-limit", "128",
                "--test-limit", "50", "--out", out.toString());
        assertEquals(0, relu.exitCode(), relu.err());
        Map<String, Object> configuration = section(new ObjectMapper().readValue(out.resolve("report.json").toFile(),
                Map.class), "configuration");
        assertEquals("max", configuration.get("pooling"));
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), false);
        assertEquals(PoolingType.MAX, ((SubsamplingLayer) net.getLayer(1).conf().getLayer()).getPoolingType());
    }

    @Test
    void anMlpReportSaysMlpAndHasNoPooling() throws IOException {
        Path out = dir.resolve("mlp");
        Invocation mlp = Invocation.of("train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out",
                out.toString());
        assertEquals(0, mlp.exitCode(), mlp.err());
        Map<String, Object> configuration = section(new ObjectMapper().readValue(out.resolve("report.json").toFile(),
                Map.class), "configuration");
        assertEquals("mlp", configuration.get("model"));
        assertFalse(configuration.containsKey("pooling"), configuration.toString());
    }
}
