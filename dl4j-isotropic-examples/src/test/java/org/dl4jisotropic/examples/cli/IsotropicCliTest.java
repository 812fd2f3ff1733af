package org.dl4jisotropic.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The CLI end to end on tiny settings. */
class IsotropicCliTest {

    @TempDir
    static Path dir;

    private static Path run;
    private static Map<String, Object> report;

    /** The output and exit code of one invocation. */
    private record Invocation(int exitCode, String out, String err) {
    }

    private static Invocation cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IsotropicCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Invocation(code, out.toString(), err.toString());
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
    void resizeGrowsAndShrinksASavedModelAndReportsTheChange() {
        Path grown = dir.resolve("grown.zip");
        Invocation grow = cli("resize", "--model", run.resolve("model.zip").toString(), "--layer", "1", "--width",
                "30", "--out", grown.toString(), "--data", "fashion-mnist", "--test-limit", "200");
        assertEquals(0, grow.exitCode(), grow.err());
        assertTrue(grow.out().contains("GROW") && grow.out().contains("measured max output change"), grow.out());

        Invocation shrink = cli("resize", "--model", grown.toString(), "--layer", "1", "--width", "10", "--out",
                dir.resolve("shrunk.zip").toString(), "--data", "fashion-mnist", "--test-limit", "200");
        assertEquals(0, shrink.exitCode(), shrink.err());
        assertTrue(shrink.out().contains("SHRINK") && shrink.out().contains("error bound"), shrink.out());
    }

    @Test
    void diagonalizeSparsifyAndInspectWorkOnASavedModel() {
        Path diagonal = dir.resolve("diagonal.zip");
        Invocation diagonalize = cli("diagonalize", "--model", run.resolve("model.zip").toString(), "--full",
                "--out", diagonal.toString(), "--data", "fashion-mnist", "--test-limit", "200");
        assertEquals(0, diagonalize.exitCode(), diagonalize.err());

        Invocation sparsify = cli("sparsify", "--model", diagonal.toString(), "--out",
                dir.resolve("sparse.zip").toString(), "--data", "fashion-mnist", "--test-limit", "200");
        assertEquals(0, sparsify.exitCode(), sparsify.err());
        assertTrue(sparsify.out().contains("parameters:") && sparsify.out().contains("non-zeros:"), sparsify.out());

        Invocation inspect = cli("inspect", "--model", diagonal.toString(), "--png", dir.resolve("png").toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("strongest one-to-one connections"), inspect.out());
        assertTrue(Files.exists(dir.resolve("png").resolve("spectra.png")));
    }

    @Test
    void verifyPassesEveryPropertyOnThisBackend() {
        Invocation verify = cli("verify");
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().contains("11 passed, 0 failed"), verify.out());
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "train --epochs 0|--epochs",
        "train --updater rmsprop|--updater",
        "train --dtype half|--dtype",
        "train --adapt --activation relu|--adapt",
        "train --data iris --tasks 5-3@1|--tasks",
        "train --data /no/such/folder|--data",
        "resize --model /no/such/model.zip --layer 0 --width 3 --out x.zip|--model",
        "train --no-such-option|--no-such-option",
        "bench --train-limit 5|--train-limit"})
    void badOptionsExitWithTwoAndNameTheOption(String args, String option) {
        Invocation invocation = cli(args.split(" "));
        assertEquals(2, invocation.exitCode(), invocation.out() + invocation.err());
        assertTrue(invocation.err().contains(option), invocation.err());
    }
}
