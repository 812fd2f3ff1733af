package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicForward;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.dl4jisotropic.layers.runtime.IsotropicDenseLayerImpl;
import org.dl4jisotropic.layers.testing.TestData;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class IsotropicDenseLayerTest {

    private static final long SEED = 31L;
    /** DL4J's orthogonal initializer in float64: W^T W = I up to rounding of the QR it uses. */
    private static final double ORTHONORMAL_F64 = 1e-12;
    /** exp(log o) in float64: the rounding of log o, amplified by |log o| (about 14 for 1e-6). */
    private static final double LOG_ROUND_TRIP_RELATIVE = 1e-12;
    /** A trained lambda has moved by far more than rounding after a few SGD steps. */
    private static final double TRAINED = 1e-6;

    private static MultiLayerNetwork network(IntrinsicLength length, double psiL2, DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(type)
                .updater(new Sgd(0.1)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(6).intrinsicLength(length).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(5).intrinsicLength(length).psiL2(psiL2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static IsotropicDenseLayer conf(MultiLayerNetwork net, int layer) {
        return (IsotropicDenseLayer) net.getLayerWiseConfigurations().getConf(layer).getLayer();
    }

    @Test
    void setInputTypeInfersNInAndSwitchesPsiOnAfterAnIsotropicLayer() {
        MultiLayerNetwork net = network(IntrinsicLength.trainable(1e-6), 0.0, DataType.DOUBLE);

        assertEquals(4, conf(net, 0).getNIn());
        assertFalse(conf(net, 0).inputCarriesScale());
        assertEquals(6, conf(net, 1).getNIn());
        assertTrue(conf(net, 1).inputCarriesScale());
        assertEquals(6, ((OutputLayer) net.getLayerWiseConfigurations().getConf(2).getLayer()).getNIn(),
                "a stock layer after an isotropic layer takes nOut + 1 inputs: psi is its last weight row");
        assertFalse(net.getLayer(0).paramTable().containsKey(IsotropicDenseParamInitializer.PSI_KEY));
        assertTrue(net.getLayer(1).paramTable().containsKey(IsotropicDenseParamInitializer.PSI_KEY));
    }

    @Test
    void outputIsTheActivationFollowedByTheScaleColumn() {
        MultiLayerNetwork net = network(IntrinsicLength.constant(0.2), 0.0, DataType.DOUBLE);
        INDArray x = gaussian(SEED, DataType.DOUBLE, 5, 4);
        INDArray w = net.getLayer(0).getParam("W");
        INDArray b = net.getLayer(0).getParam("b");
        net.getLayer(0).getParam("b").assign(gaussian(SEED + 1, DataType.DOUBLE, b.shape()));
        INDArray a = x.mmul(w).addiRowVector(b);
        IsotropicForward expected = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST)
                .forward(a, 0.2);

        INDArray out = net.feedForwardToLayer(0, x, false).get(1);

        assertEquals(7, out.size(1));
        assertTrue(maxAbsDifference(expected.output(), out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 6)))
                <= Tolerances.ROUNDING_F64);
        assertTrue(maxAbsDifference(expected.scale(), out.get(NDArrayIndex.all(), NDArrayIndex.interval(6, 7)))
                <= Tolerances.ROUNDING_F64);
    }

    @Test
    void psiAddsThePreviousScaleTimesPsiToThePreActivation() {
        MultiLayerNetwork net = network(IntrinsicLength.constant(0.2), 0.0, DataType.DOUBLE);
        INDArray psi = net.getLayer(1).getParam(IsotropicDenseParamInitializer.PSI_KEY);
        psi.assign(gaussian(SEED + 2, DataType.DOUBLE, psi.shape()));
        INDArray x = gaussian(SEED, DataType.DOUBLE, 5, 4);
        INDArray hidden = net.feedForwardToLayer(0, x, false).get(1);
        INDArray y = hidden.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 6));
        INDArray s = hidden.get(NDArrayIndex.all(), NDArrayIndex.interval(6, 7));
        INDArray a = y.mmul(net.getLayer(1).getParam("W")).addiRowVector(net.getLayer(1).getParam("b"))
                .addi(s.mmul(psi));
        INDArray expected = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).forward(a, 0.2)
                .output();

        INDArray out = net.feedForwardToLayer(1, x, false).get(2);

        assertTrue(maxAbsDifference(expected, out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 5)))
                <= Tolerances.ROUNDING_F64);
    }

    @Test
    void defaultInitializationIsOrthogonalWeightsZeroBiasZeroPsiAndTrainableIntrinsicLength() {
        MultiLayerNetwork net = network(IntrinsicLength.trainable(1e-6), 0.0, DataType.DOUBLE);
        INDArray w = net.getLayer(1).getParam("W");

        INDArray gram = w.transpose().mmul(w);
        assertTrue(maxAbsDifference(gram, Nd4j.eye(5).castTo(DataType.DOUBLE)) <= ORTHONORMAL_F64,
                "W^T W must be I");
        assertEquals(0.0, net.getLayer(1).getParam("b").amaxNumber().doubleValue(), Tolerances.IDENTICAL);
        assertEquals(0.0, net.getLayer(1).getParam("psi").amaxNumber().doubleValue(), Tolerances.IDENTICAL);
        assertEquals(Math.log(1e-6), net.getLayer(1).getParam("lambda").getDouble(0), Tolerances.ROUNDING_F64);
        assertEquals(1e-6, ((IsotropicDenseLayerImpl) net.getLayer(1)).squaredIntrinsicLength(),
                LOG_ROUND_TRIP_RELATIVE * 1e-6);
    }

    @Test
    void trainingMovesLambdaButNeverAConstantIntrinsicLength() {
        INDArray x = gaussian(SEED, DataType.DOUBLE, 16, 4);
        INDArray y = TestData.oneHot(SEED, DataType.DOUBLE, 16, 3);
        MultiLayerNetwork trainable = network(IntrinsicLength.trainable(0.5), 0.0, DataType.DOUBLE);
        MultiLayerNetwork constant = network(IntrinsicLength.constant(0.5), 0.0, DataType.DOUBLE);

        for (int i = 0; i < 5; i++) {
            trainable.fit(x, y);
            constant.fit(x, y);
        }

        assertTrue(Math.abs(trainable.getLayer(0).getParam("lambda").getDouble(0) - Math.log(0.5)) > TRAINED);
        assertEquals(0.5, constant.getLayer(0).getParam("o").getDouble(0), Tolerances.IDENTICAL);
        assertEquals(0.5, constant.getLayer(1).getParam("o").getDouble(0), Tolerances.IDENTICAL);
    }

    @Test
    void psiPenaltyAddsHalfL2TimesSquaredNormToTheScore() {
        MultiLayerNetwork penalized = network(IntrinsicLength.none(), 0.1, DataType.DOUBLE);
        MultiLayerNetwork free = network(IntrinsicLength.none(), 0.0, DataType.DOUBLE);
        free.setParams(penalized.params());
        INDArray psi = gaussian(SEED + 3, DataType.DOUBLE, 1, 5);
        penalized.getLayer(1).getParam("psi").assign(psi);
        free.getLayer(1).getParam("psi").assign(psi);
        INDArray x = gaussian(SEED, DataType.DOUBLE, 8, 4);
        INDArray y = TestData.oneHot(SEED, DataType.DOUBLE, 8, 3);

        double difference = score(penalized, x, y) - score(free, x, y);

        double squaredNorm = psi.norm2Number().doubleValue();
        assertEquals(0.5 * 0.1 * squaredNorm * squaredNorm, difference, Tolerances.SAME_FORMULA_F64);
    }

    @Test
    void aFloat32NetworkTrainsAndStaysFinite() {
        MultiLayerNetwork net = network(IntrinsicLength.trainable(1e-6), 0.1, DataType.FLOAT);
        net.setListeners();
        INDArray x = gaussian(SEED, DataType.FLOAT, 32, 4);
        INDArray y = TestData.oneHot(SEED, DataType.FLOAT, 32, 3);
        double before = score(net, x, y);
        for (int i = 0; i < 30; i++) {
            net.fit(x, y);
        }
        double after = score(net, x, y);
        assertTrue(after < before, "score should fall: before " + before + ", after " + after);
        assertTrue(Double.isFinite(net.params().sumNumber().doubleValue()));
    }

    @Test
    void anAdamTrainedStackOfDenseLayersAcceptsAStockLayerAfterTheIsotropicOne() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Adam(1e-2)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(6).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();
        INDArray x = gaussian(SEED, DataType.FLOAT, 16, 4);
        INDArray y = TestData.oneHot(SEED, DataType.FLOAT, 16, 3);
        double before = score(net, x, y);
        for (int i = 0; i < 20; i++) {
            net.fit(x, y);
        }
        assertEquals(7, ((DenseLayer) net.getLayerWiseConfigurations().getConf(1).getLayer()).getNIn());
        assertTrue(score(net, x, y) < before);
    }

    @Test
    void inputOfTheWrongWidthIsRejectedWithBothWidths() {
        MultiLayerNetwork net = network(IntrinsicLength.none(), 0.0, DataType.DOUBLE);
        Exception e = assertThrows(Exception.class, () -> net.output(Nd4j.ones(DataType.DOUBLE, 2, 5)));
        assertTrue(e.getMessage().contains("[mb, 4]") && e.getMessage().contains("[2, 5]"), e.getMessage());
    }

    @Test
    void nanInputIsRejectedWithAClearMessage() {
        MultiLayerNetwork net = network(IntrinsicLength.none(), 0.0, DataType.DOUBLE);
        INDArray x = Nd4j.ones(DataType.DOUBLE, 2, 4);
        x.putScalar(0, 1, Double.NaN);
        Exception e = assertThrows(IllegalArgumentException.class, () -> net.output(x));
        assertTrue(e.getMessage().contains("must be finite"), e.getMessage());
    }

    @Test
    void negativeNOutIsRejectedByTheBuilder() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicDenseLayer.Builder().nOut(-3).build());
        assertTrue(e.getMessage().contains("nOut must be >= 1, found -3"), e.getMessage());
    }

    @Test
    void negativePsiL2IsRejectedByTheBuilder() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicDenseLayer.Builder().nOut(3).psiL2(-0.1).build());
        assertTrue(e.getMessage().contains("psiL2 must be finite and >= 0, found -0.1"), e.getMessage());
    }

    @Test
    void trainableIntrinsicLengthOfZeroIsRejected() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> IntrinsicLength.trainable(0.0));
        assertTrue(e.getMessage().contains("must be > 0 in mode TRAINABLE"), e.getMessage());
    }

    @Test
    void dropoutIsRejectedWhenTheNetworkIsCreated() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new IsotropicDenseLayer.Builder().nOut(3).dropOut(0.5).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        Exception e = assertThrows(IllegalStateException.class, net::init);
        assertTrue(e.getMessage().contains("dropout is not supported"), e.getMessage());
    }

    private static double score(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.score();
    }
}
