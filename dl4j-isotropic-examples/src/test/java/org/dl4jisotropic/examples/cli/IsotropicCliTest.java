package org.dl4jisotropic.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.File;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The CLI end to end on tiny settings, every output checked against DL4J itself (the saved models, reloaded). */
class IsotropicCliTest {

    /**
     * The max output change of an operation that is exact in real arithmetic, on a float network: float rounding of
     * logits of order 1 through a few layers (measured up to about 1e-6).
     */
    private static final double FLOAT_EXACT = 1e-4;
    /** The printed measured change and the one recomputed from the saved models are the same float computation. */
    private static final double SAME_COMPUTATION = 1e-6;
    /** Test examples on which the model commands measure (their --test-limit). */
    private static final int PROBE = 200;

    @TempDir
    static Path dir;

    private static Path run;
    private static Map<String, Object> report;

    /** The output and exit code of one invocation. */
    private static Invocation cli(String... args) {
        return Invocation.of(args);
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void trainOnce() throws IOException {
        System.setProperty("java.awt.headless", "true");
        run = dir.resolve("run");
        Invocation train = cli("train", "--data", "fashion-mnist", "--hidden", "16,16", "--epochs", "2",
                "--train-limit", "2000", "--test-limit", "500", "--adapt", "--scaffold", "3", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.err());
        report = new ObjectMapper().readValue(run.resolve("report.json").toFile(), Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainWritesAReportWithEveryFieldAndSaneValues() {
        assertEquals("fashion-mnist", report.get("dataset"));
        assertEquals(2000, report.get("trainExamples"));
        assertEquals(500, report.get("testExamples"));
        Map<String, Object> configuration = (Map<String, Object>) report.get("configuration");
        assertEquals(List.of(16, 16), configuration.get("hidden"));
        assertEquals(true, configuration.get("adapt"));
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) report.get("epochs");
        assertEquals(2, epochs.size());
        for (Map<String, Object> epoch : epochs) {
            for (String key : List.of("epoch", "widths", "trainLoss", "testAccuracy", "seconds", "examplesPerSecond",
                    "events")) {
                assertTrue(epoch.containsKey(key), key);
            }
            double loss = ((Number) epoch.get("trainLoss")).doubleValue();
            double accuracy = ((Number) epoch.get("testAccuracy")).doubleValue();
            assertTrue(loss > 0 && loss < 3, "loss " + loss);
            assertTrue(accuracy > 0.4 && accuracy <= 1.0, "accuracy " + accuracy);
            assertEquals(2, ((List<?>) epoch.get("events")).size(), "one event per hidden layer per epoch");
        }
        Map<String, Object> fin = (Map<String, Object>) report.get("final");
        assertEquals(epochs.get(1).get("widths"), fin.get("widths"));
        assertTrue(((Number) fin.get("parameters")).longValue() > 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainSavesAModelThatPlainModelSerializerLoads() throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), true);
        List<Integer> widths = (List<Integer>) ((Map<String, Object>) report.get("final")).get("widths");
        assertEquals(widths.get(0).longValue(), net.getLayer(0).getParam("b").length());
        assertEquals(2, net.getEpochCount());
    }

    @Test
    void trainWritesOneJsonLinePerEventAndDecodablePlots() throws IOException {
        assertEquals(4, Files.readAllLines(run.resolve("events.jsonl")).size());
        for (String png : List.of("widths.png", "curves.png", "spectra.png")) {
            BufferedImage image = ImageIO.read(run.resolve(png).toFile());
            assertNotNull(image, png);
            assertEquals(800, image.getWidth(), png);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTaskScheduleOnIrisRecordsTheActiveClassesPerEpoch() throws IOException {
        Path out = dir.resolve("iris");
        Invocation train = cli("train", "--data", "iris", "--hidden", "8", "--epochs", "3", "--batch", "16",
                "--tasks", "0-1@1,0-2@3", "--out", out.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("bundled Iris set"), train.out());
        Map<String, Object> iris = new ObjectMapper().readValue(out.resolve("report.json").toFile(), Map.class);
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) iris.get("epochs");
        assertEquals(List.of(0, 1), epochs.get(1).get("activeClasses"));
        assertEquals(List.of(0, 1, 2), epochs.get(2).get("activeClasses"));
    }

    @Test
    void anElementwiseBaselineTrainsInTheSameHarness() {
        Path out = dir.resolve("relu");
        Invocation train = cli("train", "--data", "iris", "--hidden", "8", "--epochs", "2", "--activation", "relu",
                "--out", out.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(Files.exists(out.resolve("report.json")));
        assertTrue(Files.exists(out.resolve("events.jsonl")), "written empty when widths do not adapt");
        assertFalse(Files.exists(out.resolve("spectra.png")), "spectra are for isotropic networks");
    }

    @Test
    void resizeGrowsAndShrinksTheSavedModelWithinThePrintedBound() throws IOException {
        Path trained = run.resolve("model.zip");
        MultiLayerNetwork original = ModelSerializer.restoreMultiLayerNetwork(trained.toFile(), true);
        long first = nOut(original, 0);
        Path grown = dir.resolve("grown.zip");
        Invocation grow = cli("resize", "--model", trained.toString(), "--layer", "1", "--width", "30", "--out",
                grown.toString(), "--data", "fashion-mnist", "--test-limit", String.valueOf(PROBE));
        assertEquals(0, grow.exitCode(), grow.err());
        MultiLayerNetwork grownNet = ModelSerializer.restoreMultiLayerNetwork(grown.toFile(), true);
        assertEquals(List.of(first, 30L), widths(grownNet));
        assertEquals(0.0, printed(grow.out(), "error bound"), "growth is exact");
        double growChange = outputChange(original, grownNet);
        assertEquals(growChange, printed(grow.out(), "measured max output change on test data"), SAME_COMPUTATION);
        assertTrue(growChange <= FLOAT_EXACT, "growth changed the outputs by " + growChange);

        Path shrunk = dir.resolve("shrunk.zip");
        Invocation shrink = cli("resize", "--model", grown.toString(), "--layer", "1", "--width", "10", "--out",
                shrunk.toString(), "--data", "fashion-mnist", "--test-limit", String.valueOf(PROBE));
        assertEquals(0, shrink.exitCode(), shrink.err());
        MultiLayerNetwork shrunkNet = ModelSerializer.restoreMultiLayerNetwork(shrunk.toFile(), true);
        assertEquals(List.of(first, 10L), widths(shrunkNet));
        double bound = printed(shrink.out(), "error bound");
        double shrinkChange = outputChange(grownNet, shrunkNet);
        assertEquals(shrinkChange, printed(shrink.out(), "measured max output change on test data"),
                SAME_COMPUTATION);
        assertTrue(shrinkChange <= bound + FLOAT_EXACT, "change " + shrinkChange + " above the bound " + bound);
    }

    @Test
    void diagonalizeKeepsTheWidthsAndOutputsAndSparsifySavesThePrintedParameterCount() throws IOException {
        Path trained = run.resolve("model.zip");
        MultiLayerNetwork original = ModelSerializer.restoreMultiLayerNetwork(trained.toFile(), true);
        Path diagonal = dir.resolve("diagonal.zip");
        Invocation diagonalize = cli("diagonalize", "--model", trained.toString(), "--full",
                "--out", diagonal.toString(), "--data", "fashion-mnist", "--test-limit", String.valueOf(PROBE));
        assertEquals(0, diagonalize.exitCode(), diagonalize.err());
        MultiLayerNetwork diagonalNet = ModelSerializer.restoreMultiLayerNetwork(diagonal.toFile(), true);
        assertEquals(widths(original), widths(diagonalNet));
        double diagonalChange = outputChange(original, diagonalNet);
        assertEquals(diagonalChange, printed(diagonalize.out(), "measured max output change on test data"),
                SAME_COMPUTATION);
        assertTrue(diagonalChange <= FLOAT_EXACT, "diagonalization changed the outputs by " + diagonalChange);

        Path sparse = dir.resolve("sparse.zip");
        Invocation sparsify = cli("sparsify", "--model", diagonal.toString(), "--out", sparse.toString(), "--data",
                "fashion-mnist", "--test-limit", String.valueOf(PROBE));
        assertEquals(0, sparsify.exitCode(), sparsify.err());
        MultiLayerNetwork sparseNet = ModelSerializer.restoreMultiLayerNetwork(sparse.toFile(), true);
        Matcher parameters = Pattern.compile("parameters: (\\d+) -> (\\d+)").matcher(sparsify.out());
        Matcher nonzeros = Pattern.compile("non-zeros: +(\\d+) -> (\\d+)").matcher(sparsify.out());
        assertTrue(parameters.find() && nonzeros.find(), sparsify.out());
        assertEquals(diagonalNet.numParams(), Long.parseLong(parameters.group(1)));
        assertEquals(sparseNet.numParams(), Long.parseLong(parameters.group(2)));
        assertTrue(sparseNet.numParams() < diagonalNet.numParams());
        assertEquals(nonzeros(sparseNet.params()), Long.parseLong(nonzeros.group(2)));
        double sparseChange = outputChange(diagonalNet, sparseNet);
        assertEquals(sparseChange, printed(sparsify.out(), "measured max output change on test data"),
                SAME_COMPUTATION);
        assertTrue(sparseChange <= FLOAT_EXACT, "sparsification changed the outputs by " + sparseChange);

        Invocation inspect = cli("inspect", "--model", diagonal.toString(), "--png", dir.resolve("png").toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        for (int layer = 0; layer < widths(diagonalNet).size(); layer++) {
            assertTrue(inspect.out().contains("layer " + layer + ": width " + widths(diagonalNet).get(layer)),
                    inspect.out());
        }
        assertTrue(inspect.out().contains("strongest one-to-one connections"), inspect.out());
        assertNotNull(ImageIO.read(dir.resolve("png").resolve("spectra.png").toFile()));
    }

    /** Hidden widths as DL4J's configuration states them. */
    private static List<Long> widths(MultiLayerNetwork net) {
        List<Long> widths = new ArrayList<>();
        for (int i = 0; i < net.getnLayers() - 1; i++) {
            widths.add(nOut(net, i));
        }
        return widths;
    }

    private static long nOut(MultiLayerNetwork net, int layer) {
        return ((FeedForwardLayer) net.getLayerWiseConfigurations().getConf(layer).getLayer()).getNOut();
    }

    /** Max absolute logit difference of two networks on the inputs the model commands measure on. */
    private static double outputChange(MultiLayerNetwork before, MultiLayerNetwork after) {
        INDArray x = LoadedData.resolve("fashion-mnist", 1, PROBE, DataType.FLOAT, 42L).test().getFeatures();
        return logits(before, x).sub(logits(after, x)).amaxNumber().doubleValue();
    }

    /** The output layer's pre-softmax values, from DL4J's last hidden activations and the output parameters. */
    private static INDArray logits(MultiLayerNetwork net, INDArray x) {
        int output = net.getnLayers() - 1;
        INDArray hidden = net.feedForwardToLayer(output - 1, x).get(output);
        return hidden.mmul(net.getLayer(output).getParam("W")).addRowVector(net.getLayer(output).getParam("b"));
    }

    private static long nonzeros(INDArray values) {
        long count = 0;
        for (double v : values.dup().data().asDouble()) {
            count += v != 0.0 ? 1 : 0;
        }
        return count;
    }

    /** The number printed after "label: " in a command's output. */
    private static double printed(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + ": (\\S+)").matcher(out);
        assertTrue(m.find(), label + " in " + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportEventsAreTheEventsFileLinesWithEveryRecordComponent() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("events.jsonl"))) {
            lines.add(mapper.readValue(line, Map.class));
        }
        List<Map<String, Object>> reported = new ArrayList<>();
        for (Map<String, Object> epoch : (List<Map<String, Object>>) report.get("epochs")) {
            reported.addAll((List<Map<String, Object>>) epoch.get("events"));
        }
        assertEquals(lines, reported);
        // Every component of both records, under its JSON name: a component added later cannot be forgotten.
        Set<String> expected = new TreeSet<>();
        for (RecordComponent c : AdaptationEvent.class.getRecordComponents()) {
            expected.add(c.getName());
        }
        for (RecordComponent c : SurgeryReport.class.getRecordComponents()) {
            expected.add(c.getName());
        }
        expected.removeAll(List.of("report", "wallSeconds", "operation"));
        expected.addAll(List.of("seconds", "op"));
        for (Map<String, Object> event : reported) {
            assertEquals(expected, new TreeSet<>(event.keySet()));
            assertTrue(List.of("grow", "shrink", "diagonalize_left").contains(event.get("op")), event.toString());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void provenanceNamesTheDl4jAndNd4jVersionsOfTheClassPath() {
        Map<String, Object> provenance = (Map<String, Object>) report.get("provenance");
        assertEquals(jarVersion("deeplearning4j-nn"), provenance.get("dl4j"));
        assertEquals(jarVersion("nd4j-api"), provenance.get("nd4j"));
    }

    /** The version in the file name of an artifact's jar on the test class path (Maven's local repository layout). */
    private static String jarVersion(String artifactId) {
        Pattern jar = Pattern.compile(Pattern.quote(artifactId) + "-([^/\\\\]+)\\.jar$");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher m = jar.matcher(entry);
            if (m.find() && entry.contains(File.separator + artifactId + File.separator)) {
                return m.group(1);
            }
        }
        throw new AssertionError(artifactId + " is not on the class path");
    }

    @ParameterizedTest(name = "--updater {0} --activation {1} --dtype {2}")
    @CsvSource({"adam, isotropic-tanh, float", "SGD, TANH, DOUBLE", "Nesterovs, Relu, Float"})
    @SuppressWarnings("unchecked")
    void enumOptionsAcceptAnyCaseAndBuildTheMatchingDl4jNetwork(String updater, String activation, String dtype)
            throws IOException {
        Path out = dir.resolve("enum-" + updater);
        Invocation train = cli("train", "--data", "iris", "--hidden", "5", "--epochs", "1", "--updater", updater,
                "--activation", activation, "--dtype", dtype, "--out", out.toString());
        assertEquals(0, train.exitCode(), train.err());
        Map<String, Object> configuration = (Map<String, Object>) new ObjectMapper()
                .readValue(out.resolve("report.json").toFile(), Map.class).get("configuration");
        assertEquals(updater.toLowerCase(), configuration.get("updater"));
        assertEquals(activation.toLowerCase(), configuration.get("activation"));
        assertEquals(dtype.toLowerCase(), configuration.get("dtype"));
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), true);
        BaseLayer hidden = (BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer();
        Map<String, Class<? extends IUpdater>> updaters = Map.of("adam", Adam.class, "sgd", Sgd.class, "nesterovs",
                Nesterovs.class);
        assertEquals(updaters.get(updater.toLowerCase()), hidden.getIUpdater().getClass());
        if (activation.equalsIgnoreCase("isotropic-tanh")) {
            assertTrue(hidden instanceof IsotropicDenseLayer, hidden.toString());
        } else {
            assertFalse(hidden instanceof IsotropicDenseLayer, hidden.toString());
            assertEquals(activation.toLowerCase(), hidden.getActivationFn().toString().toLowerCase());
        }
        assertEquals(DataType.valueOf(dtype.toUpperCase()), net.params().dataType());
    }

    @Test
    void trainHelpListsTheValuesOfEachEnumOption() {
        Invocation help = cli("train", "--help");
        assertEquals(0, help.exitCode(), help.err());
        for (String values : List.of("adam, sgd, nesterovs", "isotropic-tanh, tanh, relu", "float, double")) {
            assertTrue(help.out().contains(values), values + " in " + help.out());
        }
    }

    @Test
    void idxDataThatIsMissingSaysHowToInstallFashionMnist() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-idx-files"));
        Path out = dir.resolve("never-written");
        Invocation train = cli("train", "--data", empty.toString(), "--out", out.toString());
        assertEquals(2, train.exitCode(), train.err());
        assertTrue(train.err().contains("apt-get install dataset-fashion-mnist"), train.err());
        assertFalse(train.out().contains("Iris"), "no fall back to Iris: " + train.out());
        assertFalse(Files.exists(out));
    }

    @Test
    @SuppressWarnings("unchecked")
    void benchWritesTheFourSideBySideFigures() throws IOException {
        Path out = dir.resolve("bench.json");
        Invocation bench = cli("bench", "--train-limit", "640", "--out", out.toString());
        assertEquals(0, bench.exitCode(), bench.err());
        Map<String, Object> results = new ObjectMapper().readValue(out.toFile(), Map.class);
        for (String key : List.of("activationRatio", "epochRatio", "adaptRoundFraction", "sparseSpeedup",
                "inferenceRatio")) {
            double value = ((Number) results.get(key)).doubleValue();
            assertTrue(value > 0 && Double.isFinite(value), key + " = " + value);
        }
    }
}
