package org.dl4jisotropic.examples.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.runtime.NativeThreads;
import org.dl4jisotropic.examples.bench.BenchmarkNetworks;
import org.nd4j.linalg.dataset.DataSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training iteration (forward, backward, Adam update) of the harness's 784-w-w-10 MLP, isotropic tanh
 * ({@code IsotropicDenseLayer}) against DL4J's {@code DenseLayer} with tanh, on a synthetic minibatch shaped like
 * Fashion-MNIST's. An epoch of Fashion-MNIST is {@code ceil(60000 / batch)} of these. Run:
 * <pre>java -cp isotropic.jar org.openjdk.jmh.Main TrainingIterationBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class TrainingIterationBenchmark {

    /** isotropic-tanh or tanh. */
    @Param({"isotropic-tanh", "tanh"})
    public String activation;

    /** Examples per minibatch. */
    @Param({"48", "128"})
    public int batch;

    /** Width of both hidden layers. */
    @Param({"256"})
    public int width;

    private MultiLayerNetwork net;
    private DataSet minibatch;

    /** A fresh network and one fixed minibatch. */
    @Setup
    public void setUp() {
        NativeThreads.applyDefaults();   // the split the CLI and the notebooks use
        net = BenchmarkNetworks.mlp(activation, List.of(width, width));
        minibatch = BenchmarkNetworks.minibatch(batch, 7);
    }

    /** One call of {@code fit(DataSet)}: one minibatch step. */
    @Benchmark
    public double iteration() {
        net.fit(minibatch);
        return net.score();
    }
}
