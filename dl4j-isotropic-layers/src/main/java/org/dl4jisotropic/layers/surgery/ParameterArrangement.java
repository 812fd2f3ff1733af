package org.dl4jisotropic.layers.surgery;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a layer's weight array in DL4J's shape maps to the matrix that core surgery works on, {@code [inputs * k, n]}
 * with rows grouped per input neuron (row {@code i * k + t}: input neuron i, tap or position t) and one column per
 * neuron of the layer (see {@link org.dl4jisotropic.core.surgery.LinearBlock}).
 *
 * <p>Every arrangement is a pure rearrangement of entries, so the same map applies to the parameter and to each of
 * its optimizer-state components. Both directions return new arrays and leave their argument unchanged.
 */
sealed interface ParameterArrangement {

    /** Dense weights {@code [nIn, nOut]}: already the matrix (inputs in NCHW flatten order for a flattened CNN). */
    ParameterArrangement DENSE = new Dense();

    /**
     * Convolution weights {@code [nOut, nIn, kH, kW]} (M2.1, in NCHW and NHWC alike): the matrix is
     * {@code W.reshape(nOut, nIn * kH * kW)^T}, input-channel-major as the core wants.
     */
    ParameterArrangement CONVOLUTION = new Convolution();

    /**
     * Dense weights after an NHWC flatten, whose input feature {@code p * channels + c} is channel c at position p;
     * the matrix takes channel-major order {@code c * positions + p}.
     *
     * @param channels  channels of the flattened activations
     * @param positions positions (height x width) of the flattened activations
     */
    static ParameterArrangement channelsLastFlatten(long channels, long positions) {
        return new ChannelsLastFlatten(channels, positions);
    }

    /** The matrix of a parameter (or state component) of DL4J's shape. */
    INDArray toMatrix(INDArray parameter);

    /** The DL4J-shaped array of a matrix; {@code shape} is the parameter's DL4J shape. */
    INDArray fromMatrix(INDArray matrix, long[] shape);

    /** See {@link #DENSE}. */
    record Dense() implements ParameterArrangement {

        @Override
        public INDArray toMatrix(INDArray parameter) {
            return parameter.dup('c');
        }

        @Override
        public INDArray fromMatrix(INDArray matrix, long[] shape) {
            return matrix.reshape('c', shape).dup('c');
        }
    }

    /** See {@link #CONVOLUTION}. */
    record Convolution() implements ParameterArrangement {

        @Override
        public INDArray toMatrix(INDArray parameter) {
            require(parameter.shape(), 4, "convolution weights [nOut, nIn, kH, kW]");
            long nOut = parameter.size(0);
            return parameter.dup('c').reshape('c', nOut, parameter.length() / nOut).transpose().dup('c');
        }

        @Override
        public INDArray fromMatrix(INDArray matrix, long[] shape) {
            require(shape, 4, "convolution weights [nOut, nIn, kH, kW]");
            return matrix.transpose().dup('c').reshape('c', shape).dup('c');
        }
    }

    /** See {@link #channelsLastFlatten}. */
    record ChannelsLastFlatten(long channels, long positions) implements ParameterArrangement {

        @Override
        public INDArray toMatrix(INDArray parameter) {
            long nOut = parameter.size(1);
            return parameter.dup('c').reshape('c', positions, channels, nOut).permute(1, 0, 2).dup('c')
                    .reshape('c', channels * positions, nOut);
        }

        @Override
        public INDArray fromMatrix(INDArray matrix, long[] shape) {
            long nOut = shape[1];
            return matrix.dup('c').reshape('c', channels, positions, nOut).permute(1, 0, 2).dup('c')
                    .reshape('c', shape);
        }
    }

    private static void require(long[] shape, int rank, String what) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(what + " must have rank " + rank + ", found shape "
                    + Arrays.toString(shape));
        }
    }
}
