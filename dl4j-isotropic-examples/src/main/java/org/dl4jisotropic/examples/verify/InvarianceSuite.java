package org.dl4jisotropic.examples.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicForward;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.dl4jisotropic.examples.train.CnnRecipe;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.layers.surgery.Sparsifier;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The invariance suite of the method notes (section 10), run on random networks on whatever ND4J backend is active:
 * the way to check a CUDA installation. Every exactness property uses the float64 tolerances of the notes, or 1e-5
 * relative in float32; the removal checks include a negative control that must fail visibly. It starts with the
 * backend's SVD at layer sizes ({@link BackendSelfCheck}) and repeats the surgery invariances on the 784-256-256-10
 * main model.
 */
public final class InvarianceSuite {

    private static final long SEED = 20260228L;
    /** GradientCheckUtil's settings: central-difference step, accepted relative error, absolute error that counts. */
    private static final double GRADIENT_EPSILON = 1e-6;
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    private static final double MIN_ABSOLUTE_ERROR = 1e-9;
    /** Gradients smaller than this are left out of the printed max relative error (rounding noise). */
    private static final double RELATIVE_ERROR_FLOOR = 1e-5;

    private final DataType type;
    private final double exact;

    /**
     * A suite for one dtype.
     *
     * @param type FLOAT or DOUBLE
     */
    public InvarianceSuite(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("--dtype must be float or double, found " + type);
        }
        this.type = type;
        this.exact = type == DataType.DOUBLE ? 1e-12 : 1e-5;
    }

    /**
     * Runs every check; never throws for a failed property: a check that throws is reported as failed, with the
     * exception's message.
     */
    public List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>(BackendSelfCheck.run());
        results.add(guarded("f(Ra) = R f(a)", this::equivariance));
        results.add(guarded("backward vs finite differences", this::gradientAgainstFiniteDifferences));
        results.add(surgery("left-partial diagonalization of every hidden layer: max output change",
                net -> new NetworkSurgeon(net).diagonalizeAllLeft()));
        results.add(surgery("alternating full diagonalization: max output change",
                net -> new NetworkSurgeon(net).diagonalizeAlternating()));
        results.add(surgery("neurogenesis (+7 neurons in layer 1): max output change",
                net -> new NetworkSurgeon(net).grow(1, 7, SEED)));
        results.add(surgery("grow 3 then shrink 3 (layer 2): max output change", net -> {
            NetworkSurgeon surgeon = new NetworkSurgeon(net);
            surgeon.grow(2, 3, SEED);
            surgeon.shrink(2, 3);
        }));
        results.add(surgery("removal of a constant neuron (layer 1): max output change",
                net -> makeConstant(net, 1, 3), net -> new NetworkSurgeon(net).shrink(1, 1)));
        results.addAll(mainModelSurgery());
        results.addAll(convolutionSurgery());
        results.add(guarded("negative control: removal without o/psi updates", this::naiveRemovalIsVisible));
        results.add(guarded("SGD: rotate-then-step equals step-then-rotate", this::sgdCommutesWithRotation));
        results.add(guarded("sparsification", this::sparsification));
        results.add(guarded("DL4J GradientCheckUtil", this::gradientCheck));
        return results;
    }

    /** A check that throws is a failed check (verify exits 1), never an error of the command line (exit 2). */
    private CheckResult guarded(String property, Supplier<CheckResult> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return new CheckResult(property + " (failed: " + e + ")", Double.NaN, exact, false);
        }
    }

    /**
     * The surgery invariances on the README's main model at its real size, 784-256-256-10, where decompositions of
     * layer-sized matrices are used (the faulty LAPACK of some AVX-512 CPUs fails there, not at 12 neurons).
     */
    private List<CheckResult> mainModelSurgery() {
        String model = " (784-256-256-10): max output change";
        List<CheckResult> results = new ArrayList<>();
        results.add(mainModel("left-partial diagonalization of both layers" + model, net -> { },
                net -> new NetworkSurgeon(net).diagonalizeAllLeft()));
        results.add(mainModel("neurogenesis (+16 neurons in each layer)" + model, net -> { }, net -> {
            NetworkSurgeon surgeon = new NetworkSurgeon(net);
            surgeon.grow(1, 16, SEED);
            surgeon.grow(0, 16, SEED);
        }));
        results.add(mainModel("removal of 3 constant neurons from each layer" + model, net -> {
            for (int layer = 0; layer < 2; layer++) {
                for (int neuron : new int[] {5, 100, 200}) {
                    makeConstant(net, layer, neuron);
                }
            }
        }, net -> {
            NetworkSurgeon surgeon = new NetworkSurgeon(net);
            surgeon.shrink(1, 3);
            surgeon.shrink(0, 3);
        }));
        results.add(mainModel("alternating full diagonalization" + model, net -> { },
                net -> new NetworkSurgeon(net).diagonalizeAlternating()));
        return results;
    }

    /**
     * Channel surgery on issue 14's CNN at its real size (conv 5x5 32 and 64 channels, each followed by an
     * {@code IsotropicActivationLayer} and average pooling, an isotropic dense layer of 128): the SVDs of filter banks
     * [32, 25] and [64, 825] and the flatten's R (x) I_16 on the dense weights ({@link CnnRecipe#surgeryReference}).
     */
    private List<CheckResult> convolutionSurgery() {
        String model = " (CNN 32-64-128): max output change";
        List<CheckResult> results = new ArrayList<>();
        results.add(outputsUnchanged("left diagonalization, then +8 channels in each conv layer" + model,
                this::convolutionNetwork, () -> gaussian(SEED + 41, 32, 784), net -> { }, net -> {
                    NetworkSurgeon surgeon = new NetworkSurgeon(net);
                    surgeon.diagonalizeAllLeft();
                    surgeon.grow(1, 8, SEED);
                    surgeon.grow(0, 8, SEED);
                }));
        results.add(outputsUnchanged("removal of 3 constant channels from each conv layer" + model,
                this::convolutionNetwork, () -> gaussian(SEED + 41, 32, 784), net -> {
                    for (int conv : new int[] {0, 3}) {
                        for (int channel : new int[] {1, 10, 20}) {
                            makeConstantChannel(net, conv, channel);
                        }
                    }
                }, net -> {
                    NetworkSurgeon surgeon = new NetworkSurgeon(net);
                    surgeon.shrink(1, 3);
                    surgeon.shrink(0, 3);
                }));
        return results;
    }

    private MultiLayerNetwork convolutionNetwork() {
        MultiLayerNetwork net = CnnRecipe.surgeryReference(type, SEED);
        net.fit(gaussian(SEED + 40, 32, 784), oneHot(type, 32, 10, 3));
        return net;
    }

    /** Zero filter, bias 0.7; on copies, since indexing a late conv layer's live view can return empty in M2.1. */
    private static void makeConstantChannel(MultiLayerNetwork net, int layer, int channel) {
        INDArray w = net.getLayer(layer).getParam("W").dup();
        w.get(NDArrayIndex.point(channel)).assign(0.0);
        net.getLayer(layer).setParam("W", w);
        INDArray b = net.getLayer(layer).getParam("b").dup();
        b.putScalar(channel, 0.7);
        net.getLayer(layer).setParam("b", b);
    }

    private CheckResult equivariance() {
        double tolerance = type == DataType.DOUBLE ? 1e-14 : 1e-5;
        double worst = 0;
        for (double o : new double[] {0.0, 0.5}) {
            IsotropicKernel kernel = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST);
            INDArray a = gaussian(SEED, 32, 24);
            INDArray r = orthogonal(SEED + 1, 24);
            INDArray left = kernel.forward(a.mmul(r), o).output();
            INDArray right = kernel.forward(a, o).output().mmul(r);
            worst = Math.max(worst, maxAbsDifference(left, right));
        }
        return CheckResult.atMost("f(Ra) = R f(a), isotropic tanh, o = 0 and 0.5", worst, tolerance);
    }

    private CheckResult gradientAgainstFiniteDifferences() {
        IsotropicKernel kernel = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST);
        INDArray a = gaussian(SEED, 3, 5).castTo(DataType.DOUBLE);
        a.getRow(0).assign(0.0);
        INDArray g = gaussian(SEED + 2, 3, 5).castTo(DataType.DOUBLE);
        double o = 0.3;
        var gradient = kernel.backward(a, g, o);
        double worst = 0;
        double h = 1e-6;
        for (long i = 0; i < a.length(); i++) {
            INDArray flat = a.reshape(a.length());
            double original = flat.getDouble(i);
            flat.putScalar(i, original + h);
            double plus = kernel.forward(a, o).output().mul(g).sumNumber().doubleValue();
            flat.putScalar(i, original - h);
            double minus = kernel.forward(a, o).output().mul(g).sumNumber().doubleValue();
            flat.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            double analytic = gradient.input().reshape(a.length()).getDouble(i);
            worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1.0, Math.abs(analytic)));
        }
        IsotropicForward plus = kernel.forward(a, o + h);
        IsotropicForward minus = kernel.forward(a, o - h);
        double numericO = (plus.output().mul(g).sumNumber().doubleValue()
                - minus.output().mul(g).sumNumber().doubleValue()) / (2 * h);
        worst = Math.max(worst, Math.abs(numericO - gradient.intrinsicLength())
                / Math.max(1.0, Math.abs(gradient.intrinsicLength())));
        return CheckResult.atMost("backward vs finite differences incl. d/do and a = 0 (float64, relative)", worst,
                1e-8);
    }

    private interface Operation {
        void apply(MultiLayerNetwork net);
    }

    private CheckResult surgery(String property, Operation operation) {
        return surgery(property, net -> { }, operation);
    }

    /** One operation on a freshly trained small network: see {@link #outputsUnchanged}. */
    private CheckResult surgery(String property, Operation prepare, Operation operation) {
        return outputsUnchanged(property, () -> network(new Sgd(0.1)), () -> gaussian(SEED + 5, 64, 10), prepare,
                operation);
    }

    /** One operation on a freshly trained main model: see {@link #outputsUnchanged}. */
    private CheckResult mainModel(String property, Operation prepare, Operation operation) {
        return outputsUnchanged(property, this::mainModelNetwork, this::mainModelProbe, prepare, operation);
    }

    /**
     * A network is built and set up by {@code prepare}, its outputs on the probe are taken, {@code operation} runs,
     * and the outputs must not change by more than the dtype's exact tolerance. A step that throws fails the check.
     */
    private CheckResult outputsUnchanged(String property, Supplier<MultiLayerNetwork> network, Supplier<INDArray> probe,
                                         Operation prepare, Operation operation) {
        return guarded(property, () -> {
            MultiLayerNetwork net = network.get();
            INDArray x = probe.get();
            prepare.apply(net);
            INDArray before = net.output(x);
            operation.apply(net);
            return CheckResult.atMost(property, maxAbsDifference(before, net.output(x)), exact);
        });
    }

    /** 784-256-256-10 with the paper's layer (trainable o, psi), after two Adam steps on random data. */
    private MultiLayerNetwork mainModelNetwork() {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(SEED).dataType(type).updater(new Adam(1e-3))
                .list();
        list.layer(new IsotropicDenseLayer.Builder().nOut(256).build());
        list.layer(new IsotropicDenseLayer.Builder().nOut(256).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        INDArray x = gaussian(SEED + 30, 64, 784);
        INDArray y = oneHot(type, 64, 10, 3);
        for (int i = 0; i < 2; i++) {
            net.fit(x, y);
        }
        return net;
    }

    private INDArray mainModelProbe() {
        return gaussian(SEED + 31, 128, 784);
    }

    private CheckResult naiveRemovalIsVisible() {
        MultiLayerNetwork net = network(new Sgd(0.1));
        makeConstant(net, 1, 3);
        INDArray x = gaussian(SEED + 5, 64, 10);
        INDArray before = net.output(x);
        // Remove the constant neuron by hand, without the o and psi updates: the control that the check can fail.
        MultiLayerNetwork naive = net.clone();
        new NetworkSurgeon(naive).diagonalizeLeft(1);
        long last = naive.getLayer(1).getParam("b").length() - 1;
        naive.getLayer(2).getParam("W").getRow(last).assign(0.0);
        naive.getLayer(1).getParam("b").putScalar(last, 0.0);
        return CheckResult.above("negative control: dropping a constant neuron without o/psi updates changes outputs",
                maxAbsDifference(before, naive.output(x)), 1e-4);
    }

    private CheckResult sgdCommutesWithRotation() {
        MultiLayerNetwork rotateFirst = network(new Sgd(0.05));
        MultiLayerNetwork stepFirst = rotateFirst.clone();
        INDArray r = orthogonal(SEED + 9, 12);
        INDArray x = gaussian(SEED + 5, 32, 10);
        INDArray y = oneHot(type, 32, 3, 1);
        new NetworkSurgeon(rotateFirst).rotate(1, r);
        rotateFirst.fit(x, y);
        stepFirst.fit(x, y);
        new NetworkSurgeon(stepFirst).rotate(1, r);
        return CheckResult.atMost("SGD: rotate-then-step equals step-then-rotate (parameters)",
                maxAbsDifference(rotateFirst.params(), stepFirst.params()), exact);
    }

    private CheckResult sparsification() {
        MultiLayerNetwork net = network(new Sgd(0.1));
        INDArray x = gaussian(SEED + 5, 64, 10);
        Sparsifier.Result result = Sparsifier.sparsify(net, x);
        boolean countOk = result.report().parametersBefore() - result.report().parametersAfter() == 2L * (144 - 12);
        return new CheckResult("sparsification: identical outputs and exactly 2 x (12^2 - 12) fewer parameters",
                result.report().maxOutputChange(), exact, countOk && result.report().maxOutputChange() <= exact);
    }

    private CheckResult gradientCheck() {
        DataType previous = Nd4j.dataType();
        DataType previousFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ListBuilder list = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).list();
            list.layer(new IsotropicDenseLayer.Builder().nOut(5).build());
            list.layer(new IsotropicDenseLayer.Builder().nOut(4).psiL2(0.1).build());
            MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                    LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build())
                    .setInputType(InputType.feedForward(6)).build());
            net.init();
            INDArray x = gaussian(SEED, 8, 6).castTo(DataType.DOUBLE);
            INDArray y = oneHot(DataType.DOUBLE, 8, 3, 1);
            boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(y).epsilon(GRADIENT_EPSILON).maxRelError(MAX_RELATIVE_ERROR)
                    .minAbsoluteError(MIN_ABSOLUTE_ERROR).print(GradientCheckUtil.PrintMode.ZEROS)
                    .exitOnFirstError(false));
            double worst = FiniteDifferenceGradient.maxRelativeError(net, x, y, GRADIENT_EPSILON,
                    RELATIVE_ERROR_FLOOR);
            return new CheckResult("DL4J GradientCheckUtil on an IsotropicDenseLayer MLP (float64; max relative "
                    + "error where |gradient| >= " + RELATIVE_ERROR_FLOOR + ")", worst, MAX_RELATIVE_ERROR,
                    passed && worst <= MAX_RELATIVE_ERROR);
        } finally {
            Nd4j.setDefaultDataTypes(previous, previousFloat);
        }
    }

    /** 10 inputs, hidden 12, 12, 12 (constant, trainable, trainable o), 3 outputs, after two training steps. */
    private MultiLayerNetwork network(IUpdater updater) {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(SEED).dataType(type).updater(updater).list();
        list.layer(new IsotropicDenseLayer.Builder().nOut(12).intrinsicLength(IntrinsicLength.constant(0.1)).build());
        list.layer(new IsotropicDenseLayer.Builder().nOut(12).psiL2(0.1).build());
        list.layer(new IsotropicDenseLayer.Builder().nOut(12).build());
        list.layer(new IsotropicDenseLayer.Builder().nOut(12).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build())
                .setInputType(InputType.feedForward(10)).build());
        net.init();
        INDArray x = gaussian(SEED + 3, 32, 10);
        INDArray y = oneHot(type, 32, 3, 7);
        for (int i = 0; i < 2; i++) {
            net.fit(x, y);
        }
        for (int l = 0; l < 4; l++) {
            INDArray b = net.getLayer(l).getParam("b");
            b.assign(gaussian(SEED + 20 + l, 1, (int) b.length()).reshape(b.shape()).muli(0.3));
        }
        return net;
    }

    /** One-hot labels: row i has class {@code (i * stride) % classes}. */
    private static INDArray oneHot(DataType type, int rows, int classes, int stride) {
        INDArray y = Nd4j.zeros(type, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, (i * stride) % classes, 1.0);
        }
        return y;
    }

    /** Zero incoming weights and psi entry: the neuron's pre-activation is its bias, a constant. */
    private static void makeConstant(MultiLayerNetwork net, int layer, int neuron) {
        net.getLayer(layer).getParam("W").getColumn(neuron).assign(0.0);
        if (net.getLayer(layer).paramTable().containsKey("psi")) {
            net.getLayer(layer).getParam("psi").putScalar(0, neuron, 0.0);
        }
        net.getLayer(layer).getParam("b").putScalar(neuron, 0.8);
    }

    private INDArray gaussian(long seed, int rows, int columns) {
        Random random = new Random(seed);
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {rows, columns}, 'c').castTo(type);
    }

    private INDArray orthogonal(long seed, int n) {
        Random random = new Random(seed);
        double[][] values = new double[n][n];
        for (double[] row : values) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return Nd4j.create(new QRDecomposition(new Array2DRowRealMatrix(values, false)).getQ().getData())
                .castTo(type);
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
