package org.dl4jisotropic.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdaptiveSparkTrainer in Spark local-cluster mode: two executor JVMs separate from the driver, so the isotropic
 * layers, their activation and the resized network really go through serialization (in local[n] a broadcast is the
 * driver's own object).
 */
class AdaptiveSparkTrainerClusterTest {

    /** Measured figures go to the log (the surefire report), not to stdout. */
    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveSparkTrainerClusterTest.class);

    private static final int EXECUTORS = 2;
    private static JavaSparkContext sc;
    private static SparkTestData.Split data;

    @BeforeAll
    static void startCluster() throws IOException {
        String home = System.getenv("SPARK_HOME");
        assertTrue(home != null && home.endsWith("spark-home"), "SPARK_HOME must be set by the build, found " + home);
        int jars = ScratchSparkHome.create(Path.of(home));
        assertTrue(jars > 50, "scratch SPARK_HOME/jars holds only " + jars + " entries");
        // The executors need the driver's JDK 17 opens: Spark starts them with plain java.
        String opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.equals("-XX:+IgnoreUnrecognizedVMOptions"))
                .collect(Collectors.joining(" "));
        SparkConf conf = SparkTestSupport.conf("local-cluster[" + EXECUTORS + ",1,1024]", "adaptive-spark-cluster-test")
                .set("spark.home", home)
                .set("spark.executor.extraJavaOptions", opens + " -Dorg.bytedeco.javacpp.maxbytes=2G");
        sc = new JavaSparkContext(conf);
        data = SparkTestData.load(1024, 200);
    }

    @AfterAll
    static void stopCluster() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void aRoundTrainsOnExecutorJvmsAndTheExecutorsUseTheResizedNetwork() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, SparkTestSupport.master(EXECUTORS).build());
        JavaRDD<DataSet> train = SparkTestSupport.minibatches(sc, data.train(), EXECUTORS);
        NeuroadaptationListener growing = NeuroadaptationListener.builder(net).threshold(1e-6).scaffoldBuffer(4)
                .widthRange(4, 64).seed(SparkTestSupport.SEED).build();

        SparkRound grown = AdaptiveSparkTrainer.builder(sparkNet).adaptation(growing).build().fitEpoch(train);
        INDArray probe = data.test().getFeatures().get(NDArrayIndex.interval(0, 64), NDArrayIndex.all());
        List<ExecutorOutput> outputs = executorOutputs(net, probe);
        INDArray expected = net.output(probe);
        INDArray grownParams = net.params().dup();
        SparkRound next = AdaptiveSparkTrainer.builder(sparkNet).build().fitEpoch(train);

        assertEquals(List.of(20L), grown.widths());
        long driver = ProcessHandle.current().pid();
        int rows = 0;
        for (ExecutorOutput output : outputs) {
            assertTrue(output.pid != driver, "outputs must come from an executor JVM, not the driver (" + driver + ")");
            INDArray executor = Nd4j.create(output.outputs);
            int last = output.first + output.outputs.length;
            INDArray driverRows = expected.get(NDArrayIndex.interval(output.first, last), NDArrayIndex.all());
            assertEquals(0.0, executor.sub(driverRows).amaxNumber().doubleValue(), 1e-6,
                    "executor " + output.pid + " outputs vs the driver's");
            rows += output.outputs.length;
        }
        assertEquals(64, rows);
        LOG.info("executor pids {}, driver {}", outputs.stream().map(o -> o.pid).distinct()
                .collect(Collectors.toList()), driver);
        // The next round trains the grown network on the executors: same shape, new values.
        assertEquals(List.of(20L), next.widths());
        assertEquals(grownParams.length(), net.params().length());
        assertFalse(grownParams.equalsWithEps(net.params(), 1e-9), "the round after the resize must train");
        assertTrue(next.iterationCount() > grown.iterationCount());
    }

    /** Rebuilds the driver's current network on the executors from its JSON and parameters, and runs the probe. */
    private static List<ExecutorOutput> executorOutputs(MultiLayerNetwork net, INDArray probe) {
        Broadcast<String> configuration = sc.broadcast(net.getLayerWiseConfigurations().toJson());
        Broadcast<float[]> parameters = sc.broadcast(net.params().toFloatVector());
        List<Row> rows = new ArrayList<>();
        float[][] matrix = probe.toFloatMatrix();
        for (int i = 0; i < matrix.length; i++) {
            rows.add(new Row(i, matrix[i]));
        }
        return sc.parallelize(rows, EXECUTORS).mapPartitions(new Forward(configuration, parameters)).collect();
    }

    /** One probe example and its index. */
    record Row(int index, float[] features) implements Serializable {
    }

    /** The outputs of one partition, the executor's process id and the index of the partition's first row. */
    record ExecutorOutput(long pid, int first, float[][] outputs) implements Serializable {
    }

    /** Runs on an executor: deserializes the configuration (isotropic layers and activation included). */
    private static final class Forward implements FlatMapFunction<Iterator<Row>, ExecutorOutput> {
        private final Broadcast<String> configuration;
        private final Broadcast<float[]> parameters;

        Forward(Broadcast<String> configuration, Broadcast<float[]> parameters) {
            this.configuration = configuration;
            this.parameters = parameters;
        }

        @Override
        public Iterator<ExecutorOutput> call(Iterator<Row> rows) {
            List<Row> partition = new ArrayList<>();
            rows.forEachRemaining(partition::add);
            if (partition.isEmpty()) {
                return List.<ExecutorOutput>of().iterator();
            }
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration.value()));
            net.init(Nd4j.create(parameters.value()).reshape(1, -1), false);
            float[][] features = new float[partition.size()][];
            for (int i = 0; i < features.length; i++) {
                features[i] = partition.get(i).features();
            }
            float[][] outputs = net.output(Nd4j.create(features)).toFloatMatrix();
            return List.of(new ExecutorOutput(ProcessHandle.current().pid(), partition.get(0).index(), outputs))
                    .iterator();
        }
    }
}
