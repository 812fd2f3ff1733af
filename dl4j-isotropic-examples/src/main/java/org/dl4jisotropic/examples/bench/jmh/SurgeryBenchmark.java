package org.dl4jisotropic.examples.bench.jmh;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.adapt.ScaffoldPolicy;
import org.dl4jisotropic.examples.bench.BenchmarkNetworks;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each surgery operation on the first hidden layer of the harness's isotropic 784-w-w-10 MLP (Adam state
 * included), through {@link NetworkSurgeon}: read the network, plan on a copy, install atomically. Every call starts
 * from a fresh copy of the same trained-shape network (the copy is made in the per-invocation setup and is not
 * timed). {@code alternating} diagonalizes every layer (left and right); {@code adaptRound} is one full adaptation
 * round of both hidden layers with the paper's scaffold policy. Divide by
 * {@code ceil(60000 / batch)} times {@link TrainingIterationBenchmark}'s time at the same width for the fraction of
 * a Fashion-MNIST epoch. Run:
 * <pre>java -cp isotropic.jar org.openjdk.jmh.Main SurgeryBenchmark -p width=256</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class SurgeryBenchmark {

    /** Width of both hidden layers. */
    @Param({"128", "256", "512", "1024", "2048"})
    public int width;

    /** diagonalizeLeft, grow1, grow16, shrink1, alternating or adaptRound. */
    @Param({"diagonalizeLeft", "grow1", "grow16", "shrink1", "alternating", "adaptRound"})
    public String operation;

    private MultiLayerNetwork original;
    private MultiLayerNetwork net;

    /** The network every call starts from. */
    @Setup(Level.Trial)
    public void build() {
        original = BenchmarkNetworks.mlp("isotropic-tanh", List.of(width, width));
        original.fit(BenchmarkNetworks.minibatch(128, 3));   // a non-zero Adam state, as in training
    }

    /** A fresh copy per call, since every operation changes the network. */
    @Setup(Level.Invocation)
    public void copy() {
        net = original.clone();
    }

    /** The timed operation. */
    @Benchmark
    public Object operate() {
        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        switch (operation) {
            case "diagonalizeLeft":
                return surgeon.diagonalizeLeft(0);
            case "grow1":
                return surgeon.grow(0, 1, 5);
            case "grow16":
                return surgeon.grow(0, 16, 5);
            case "shrink1":
                return surgeon.shrink(0, 1);
            case "alternating":
                return surgeon.diagonalizeAlternating();
            case "adaptRound":
                return surgeon.adaptWidths(Map.of(0, ScaffoldPolicy.paperDefaults(), 1,
                        ScaffoldPolicy.paperDefaults()), 5);
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }
}
