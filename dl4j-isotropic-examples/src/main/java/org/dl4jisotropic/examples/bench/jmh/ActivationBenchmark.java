package org.dl4jisotropic.examples.bench.jmh;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.dl4jisotropic.core.runtime.NativeThreads;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
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
 * The isotropic tanh activation against DL4J's own {@link ActivationTanH} on the same {@code [batch, n]}
 * pre-activations, as a DL4J layer calls them: {@code getActivation} overwrites its input, {@code backprop} returns
 * {@code dL/da} for an upstream gradient.
 *
 * <p>Each call first copies the fixed pre-activations into a preallocated work array ({@code assign}), because
 * both activations work in place and a layer always hands them a fresh array; the copy is one pass over the data,
 * identical for both activations, so it is part of both timings. Run:
 * <pre>java -cp isotropic.jar org.openjdk.jmh.Main ActivationBenchmark -p batch=128 -p n=256 -p dtype=float</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ActivationBenchmark {

    /** Examples per minibatch. */
    @Param({"32", "128", "1024"})
    public int batch;

    /** Layer width. */
    @Param({"64", "256", "1024", "4096"})
    public int n;

    /** float or double. */
    @Param({"float", "double"})
    public String dtype;

    /** isotropic (IsotropicTanh) or tanh (DL4J's ActivationTanH). */
    @Param({"isotropic", "tanh"})
    public String activation;

    private IActivation function;
    private INDArray preActivation;
    private INDArray upstream;
    private INDArray work;
    private INDArray backWork;

    /** Fixed standard-normal inputs, scaled like a layer's pre-activations, and the work arrays. */
    @Setup
    public void setUp() {
        NativeThreads.applyDefaults();   // the split the CLI and the notebooks use
        DataType type = DataType.valueOf(dtype.toUpperCase(Locale.ROOT));
        Nd4j.getRandom().setSeed(7);
        preActivation = Nd4j.randn(type, batch, n).muli(1.0 / Math.sqrt(n));
        upstream = Nd4j.randn(type, batch, n);
        work = preActivation.dup();
        backWork = preActivation.dup();
        function = "tanh".equals(activation) ? new ActivationTanH() : new IsotropicTanh();
    }

    /** Forward pass only. */
    @Benchmark
    public INDArray forward() {
        return function.getActivation(work.assign(preActivation), true);
    }

    /** Forward pass, then the vector-Jacobian product, as one training step of a layer does. */
    @Benchmark
    public INDArray forwardBackward() {
        function.getActivation(work.assign(preActivation), true);
        return function.backprop(backWork.assign(preActivation), upstream).getFirst();
    }
}
