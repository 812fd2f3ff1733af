package org.dl4jisotropic.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code train --spark local[2]}: the same job through Spark, with the same outputs and a spark block. */
class SparkTrainCommandTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void trainOnSparkLocalWritesTheSameReportWithASparkBlockAndTheAdaptedWidths() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = dir.resolve("spark-run");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = IsotropicCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), "train",
                "--spark", "local[2]", "--data", "fashion-mnist", "--hidden", "16", "--epochs", "2", "--batch", "32",
                "--train-limit", "600", "--test-limit", "300", "--adapt", "--scaffold", "3", "--out", out.toString());

        assertEquals(0, code, stderr.toString());
        Map<String, Object> report = new ObjectMapper().readValue(out.resolve("report.json").toFile(), Map.class);
        Map<String, Object> spark = (Map<String, Object>) report.get("spark");
        assertEquals("local[2]", spark.get("master"));
        assertEquals(2, spark.get("workers"));
        assertEquals(5, spark.get("averagingFrequency"));
        assertEquals("ParameterAveragingTrainingMaster", spark.get("trainingMaster"));
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) report.get("epochs");
        assertEquals(2, epochs.size());
        for (Map<String, Object> epoch : epochs) {
            assertEquals(1, ((List<?>) epoch.get("widths")).size());
            assertEquals(1, ((List<?>) epoch.get("events")).size(), "one adaptation event per epoch (one layer)");
            double accuracy = ((Number) epoch.get("testAccuracy")).doubleValue();
            assertTrue(accuracy > 0.2 && accuracy <= 1.0, "accuracy " + accuracy);
        }
        List<Integer> finalWidths = (List<Integer>) ((Map<String, Object>) report.get("final")).get("widths");
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), true);
        assertEquals(finalWidths.get(0).longValue(), NetworkSurgeon.hiddenWidths(saved).get(0));
        assertEquals(List.of(19), epochs.get(0).get("widths"), "16 + K=3 scaffolds at the first round: "
                + epochs.get(0));
        assertEquals(2, Files.readAllLines(out.resolve("events.jsonl")).size());
        assertTrue(Files.exists(out.resolve("widths.png")) && Files.exists(out.resolve("curves.png")));
    }

    @Test
    void averagingFrequencyWithoutSparkIsABadOption() {
        StringWriter stderr = new StringWriter();
        int code = IsotropicCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(stderr, true),
                "train", "--data", "iris", "--epochs", "1", "--averaging-frequency", "3", "--out",
                dir.resolve("unused").toString());

        assertEquals(IsotropicCli.BAD_OPTION, code);
        assertTrue(stderr.toString().contains("--averaging-frequency only applies with --spark"), stderr.toString());
        assertTrue(!Files.exists(dir.resolve("unused")), "nothing may be written");
    }
}
