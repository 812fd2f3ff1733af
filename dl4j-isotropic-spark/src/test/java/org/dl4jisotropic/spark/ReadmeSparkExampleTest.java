package org.dl4jisotropic.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.dl4jisotropic.layers.adapt.JsonLinesEventSink;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The README's Spark example, run as written in local[2]; a second test keeps the README and this copy identical. */
class ReadmeSparkExampleTest {

    private static final String HEADING = "## Distributed training on Spark";

    @Test
    void theReadmeSparkExampleTrainsAndItsEventsReachTheSink(@TempDir Path dir) throws IOException {
        int workers = 2;
        int epochs = 2;
        try (JavaSparkContext sc = new JavaSparkContext(SparkTestSupport.conf("local[" + workers + "]",
                "readme-spark-example"))) {
            MultiLayerNetwork net = SparkTestSupport.mlp(32);
            Path eventsFile = dir.resolve("events.jsonl");
            JavaRDD<DataSet> minibatchRdd = sc.parallelize(SparkTestData.load(1024, 1).train().batchBy(64), workers);
            // README-SPARK-BEGIN
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, 64)
                    .batchSizePerWorker(64).averagingFrequency(5).saveUpdater(true)  // saveUpdater(true) is required
                    .rddTrainingApproach(RDDTrainingApproach.Direct).build();
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
            AdaptiveSparkTrainer trainer = AdaptiveSparkTrainer.builder(sparkNet)
                    .adaptation(NeuroadaptationListener.builder(net)                // not added to net's listeners
                            .threshold(0.95).scaffoldBuffer(5).widthRange(8, 512)
                            .eventSink(new JsonLinesEventSink(eventsFile)).build())
                    .build();                                 // validates everything before any Spark job
            List<SparkRound> rounds = trainer.fit(minibatchRdd, epochs);     // do not cache() the RDD yourself
            // README-SPARK-END
            assertEquals(epochs, rounds.size());
            assertEquals(epochs, Files.readAllLines(eventsFile).size(), "one adapting layer: one event per round");
            assertEquals(rounds.get(epochs - 1).widths(), NetworkSurgeon.hiddenWidths(net));
            assertEquals(epochs, net.getEpochCount());
        }
    }

    @Test
    void theReadmeShowsExactlyThisExampleUnderItsSparkHeading() throws IOException {
        String source = Files.readString(Path.of("src", "test", "java", "org", "dl4jisotropic", "spark",
                "ReadmeSparkExampleTest.java"), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf(HEADING);
        assertTrue(section >= 0, "README has no section " + HEADING);
        int open = readme.indexOf("```java\n", section);
        String shown = readme.substring(open + "```java\n".length(), readme.indexOf("```", open + 7));
        String begin = "// README-SPARK-BEGIN\n";
        int from = source.indexOf(begin) + begin.length();
        String tested = source.substring(from, source.indexOf("// README-SPARK-END", from));
        assertEquals(unindented(tested), unindented(shown));
    }

    private static String unindented(String block) {
        int indent = block.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return block.lines().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .collect(Collectors.joining("\n")).strip();
    }
}
