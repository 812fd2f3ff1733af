package org.dl4jisotropic.examples.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.runtime.NativeThreads;
import org.dl4jisotropic.examples.bench.BenchmarkNetworks;
import org.dl4jisotropic.layers.surgery.Sparsifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Inference ({@code output}) of a deep isotropic network against its sparsified equivalent ({@link Sparsifier}:
 * every other layer diagonal), which computes the same function. Run:
 * <pre>java -cp isotropic.jar org.openjdk.jmh.Main SparseInferenceBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class SparseInferenceBenchmark {

    /** dense (the original) or sparse (its sparsified equivalent). */
    @Param({"dense", "sparse"})
    public String form;

    /** Hidden layers. */
    @Param({"6"})
    public int depth;

    /** Width of every hidden layer (and of the input). */
    @Param({"1024"})
    public int width;

    /** Examples per call. */
    @Param({"256"})
    public int batch;

    private MultiLayerNetwork net;
    private INDArray input;

    /** Builds the dense network, and sparsifies it when asked. */
    @Setup
    public void setUp() {
        NativeThreads.applyDefaults();   // the split the CLI and the notebooks use
        MultiLayerNetwork dense = BenchmarkNetworks.deepIsotropic(depth, width);
        net = "sparse".equals(form) ? Sparsifier.sparsify(dense, null).network() : dense;
        Nd4j.getRandom().setSeed(11);
        input = Nd4j.randn(DataType.FLOAT, batch, width);
    }

    /** One batched forward pass. */
    @Benchmark
    public INDArray output() {
        return net.output(input);
    }
}
