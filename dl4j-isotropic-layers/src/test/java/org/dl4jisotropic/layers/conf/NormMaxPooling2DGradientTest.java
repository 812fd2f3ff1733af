package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.testing.GradientChecks;
import org.dl4jisotropic.layers.testing.IsolatedLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The backward pass of NormMaxPooling2D routes every channel's gradient to the selected position. Inputs are seeded
 * Gaussians, whose window norms are far from ties compared with the finite-difference steps.
 */
@ExtendWith(DoublePrecision.class)
class NormMaxPooling2DGradientTest {

    private static final long SEED = 4242L;
    /** Central-difference step; the pooled output is linear between selection changes, so only rounding remains. */
    private static final double FINITE_DIFFERENCE_STEP = 1e-6;

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void overlappingWindowsBackpropMatchesFiniteDifferences(CNN2DFormat format) {
        IsolatedLayer layer = new IsolatedLayer(NormMaxPooling2DTest.pooling(3, 2, ConvolutionMode.Same, format));
        INDArray x = NormMaxPooling2DTest.input(format, 5, 6, 3);
        INDArray epsilon = gaussian(SEED + 1, DataType.DOUBLE, layer.forward(x).shape());

        INDArray analytic = layer.backward(x, epsilon);
        INDArray numeric = layer.finiteDifferenceGradient(x, epsilon, FINITE_DIFFERENCE_STEP);

        double relative = maxAbsDifference(analytic, numeric) / maxAbs(numeric);
        assertTrue(relative <= Tolerances.GRADIENT_F64, format + ": relative error " + relative);
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void networkWithNormMaxPoolingPassesGradientCheck(CNN2DFormat format) {
        FeatureAxis axis = FeatureAxisCheck.requiredAxis(format);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(0.2, axis)).build())
                .layer(new NormMaxPooling2D.Builder().kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(6, 6, 2, format)).build());
        net.init();
        INDArray x = format == CNN2DFormat.NCHW ? gaussian(SEED, DataType.DOUBLE, 3, 2, 6, 6)
                : gaussian(SEED, DataType.DOUBLE, 3, 6, 6, 2);

        assertTrue(GradientChecks.passes(net, x, TestData.oneHot(SEED, DataType.DOUBLE, 3, 3)));
    }
}
