package org.dl4jisotropic.layers.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link OrthogonalInit}: every singular value of the weight matrix is 1, for dense weights {@code [nIn, nOut]} and for
 * filter banks {@code [nOut, nIn, kH, kW]} seen as {@code [nOut, nIn*kH*kW]}; and the array it returns is the
 * parameter itself, as DL4J's stock layers use it. Singular values come from commons-math's SVD, and the filter bank's
 * matrix is read element by element in the test.
 */
class OrthogonalInitTest {

    /** Singular values of a float64 Householder Q are 1 to rounding. */
    private static final double ORTHOGONAL = 1e-12;
    /** In a float network the values are the float64 ones rounded once. */
    private static final double FLOAT_ORTHOGONAL = 1e-5;

    private static double[] singularValues(double[][] matrix) {
        return new SingularValueDecomposition(new Array2DRowRealMatrix(matrix, false)).getSingularValues();
    }

    private static void assertAllOne(double[] values, double tolerance) {
        for (double s : values) {
            assertEquals(1.0, s, tolerance, "singular value");
        }
    }

    /** The filter bank as the matrix {@code [nOut, nIn*kH*kW]}: row o holds filter o, input channel by channel. */
    private static double[][] filterMatrix(INDArray w) {
        long nOut = w.size(0);
        long nIn = w.size(1);
        long kh = w.size(2);
        long kw = w.size(3);
        double[][] m = new double[(int) nOut][(int) (nIn * kh * kw)];
        for (int o = 0; o < nOut; o++) {
            for (int i = 0; i < nIn; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        m[o][(int) ((i * kh + y) * kw + x)] = w.getDouble(o, i, y, x);
                    }
                }
            }
        }
        return m;
    }

    private static INDArray init(long[] shape, char order, INDArray view) {
        long fanOut = shape.length == 2 ? shape[1] : shape[0];
        return new OrthogonalInit().init(view.length() / fanOut, fanOut, shape, order, view);
    }

    @Test
    void tallAndWideDenseWeightsHaveUnitSingularValues() {
        Nd4j.getRandom().setSeed(1);
        for (long[] shape : new long[][] {{7, 4}, {3, 5}}) {
            INDArray w = init(shape, 'f', Nd4j.create(DataType.DOUBLE, shape[0] * shape[1]));
            assertArrayEquals(shape, w.shape());
            double[] values = singularValues(w.toDoubleMatrix());
            assertEquals(Math.min(shape[0], shape[1]), values.length);
            assertAllOne(values, ORTHOGONAL);
        }
    }

    @Test
    void filterBankWithFewerFiltersThanTapsHasOrthonormalFilters() {
        Nd4j.getRandom().setSeed(2);
        long[] shape = {6, 2, 3, 3};
        INDArray w = init(shape, 'c', Nd4j.create(DataType.DOUBLE, 6 * 18));
        RealMatrix m = new Array2DRowRealMatrix(filterMatrix(w), false);
        RealMatrix gram = m.multiply(m.transpose());
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(i == j ? 1.0 : 0.0, gram.getEntry(i, j), ORTHOGONAL, "filters " + i + ", " + j);
            }
        }
    }

    @Test
    void filterBankWithMoreFiltersThanTapsHasUnitSingularValues() {
        Nd4j.getRandom().setSeed(3);
        long[] shape = {32, 1, 5, 5};
        INDArray w = init(shape, 'c', Nd4j.create(DataType.DOUBLE, 32 * 25));
        double[] values = singularValues(filterMatrix(w));
        assertEquals(25, values.length);
        assertAllOne(values, ORTHOGONAL);
    }

    @Test
    void returnsTheParameterSegmentItselfInTheRequestedShape() {
        Nd4j.getRandom().setSeed(4);
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 1, 5 + 4 * 2 * 3 * 3);
        INDArray segment = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, params.length()));
        long[] shape = {4, 2, 3, 3};
        INDArray w = init(shape, 'c', segment);
        assertArrayEquals(shape, w.shape());
        w.putScalar(new long[] {3, 1, 2, 2}, 42.0);   // the last element of the segment, written through w
        assertEquals(42.0, params.getDouble(0, params.length() - 1), "w is a view of the parameters");
        assertEquals(0.0, params.dup().get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 5)).sumNumber()
                .doubleValue(), "the values before the segment are untouched");
    }

    @Test
    void anAlreadyShapedViewIsFilledInPlace() {
        Nd4j.getRandom().setSeed(5);
        INDArray view = Nd4j.create(DataType.DOUBLE, new long[] {6, 3}, 'f');
        init(new long[] {6, 3}, 'f', view);
        assertAllOne(singularValues(view.toDoubleMatrix()), ORTHOGONAL);
    }

    @Test
    void stockConvolutionAndDenseLayersStartOrthogonal() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6)
                .dataType(DataType.FLOAT).weightInit(new OrthogonalInit()).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build());
        net.init();
        assertArrayEquals(new long[] {5, 2, 3, 3}, net.getParam("0_W").shape());
        assertAllOne(singularValues(filterMatrix(net.getParam("0_W").castTo(DataType.DOUBLE))), FLOAT_ORTHOGONAL);
        assertAllOne(singularValues(net.getParam("1_W").castTo(DataType.DOUBLE).toDoubleMatrix()), FLOAT_ORTHOGONAL);
        assertAllOne(singularValues(net.getParam("2_W").castTo(DataType.DOUBLE).toDoubleMatrix()), FLOAT_ORTHOGONAL);
        assertTrue(net.output(Nd4j.rand(DataType.FLOAT, 3, 2, 6, 6)).isMatrix(), "the network runs");
    }

    @Test
    void aVectorShapeIsRefusedNamingTheShapesAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> init(new long[] {9}, 'c', Nd4j.create(DataType.DOUBLE, 9)));
        assertTrue(e.getMessage().contains("[nOut, nIn, kH, kW]"), e.getMessage());
    }
}
