package org.dl4jisotropic.examples.bench.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.adapt.ScaffoldPolicy;
import org.dl4jisotropic.core.runtime.NativeThreads;
import org.dl4jisotropic.examples.bench.BenchmarkNetworks;
import org.dl4jisotropic.examples.train.CnnRecipe;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One adaptation round of issue 14's CNN against one training iteration of it, side by side in one run: conv 5x5
 * (32) and conv 5x5 (64), each with the identity activation and an {@code IsotropicActivationLayer}, average pooling
 * after each, an isotropic dense layer of 128 and 10 softmax outputs ({@link CnnRecipe#surgeryReference}), Adam,
 * batch 128, on 28 x 28 inputs. The round diagonalizes all three hidden layers and applies the paper's scaffold
 * policy (tau 0.95, K 5) through {@link NetworkSurgeon}. A Fashion-MNIST epoch is 469 iterations, so the round's share of an epoch is
 * {@code adaptRound / (469 * trainingIteration)}. Run:
 * <pre>java -cp isotropic.jar org.openjdk.jmh.Main ConvolutionRoundBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class ConvolutionRoundBenchmark {

    private static final int BATCH = 128;

    private MultiLayerNetwork original;
    private MultiLayerNetwork net;
    private DataSet batch;

    /** The network every call starts from, after a few steps so that Adam's state is not zero. */
    @Setup(Level.Trial)
    public void build() {
        NativeThreads.applyDefaults();
        original = CnnRecipe.surgeryReference(DataType.FLOAT, 42);
        batch = BenchmarkNetworks.minibatch(BATCH, 3);
        for (int i = 0; i < 3; i++) {
            original.fit(batch);
        }
    }

    /** A fresh copy per call, since a round changes the network. */
    @Setup(Level.Invocation)
    public void copy() {
        net = original.clone();
    }

    /** One adaptation round of all three hidden layers. */
    @Benchmark
    public Object adaptRound() {
        return new NetworkSurgeon(net).adaptWidths(Map.of(0, ScaffoldPolicy.paperDefaults(), 1,
                ScaffoldPolicy.paperDefaults(), 2, ScaffoldPolicy.paperDefaults()), 5);
    }

    /** One training iteration (forward, backward, Adam update) on a batch of 128. */
    @Benchmark
    public Object trainingIteration() {
        net.fit(batch);
        return net;
    }
}
