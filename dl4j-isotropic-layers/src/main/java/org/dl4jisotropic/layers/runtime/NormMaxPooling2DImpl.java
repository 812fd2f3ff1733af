package org.dl4jisotropic.layers.runtime;

import java.util.Arrays;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jisotropic.layers.conf.NormMaxPooling2D;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link NormMaxPooling2D}: selects, per window, the position with the largest channel-vector norm, copies
 * its channel vector forward, and routes the gradient of every channel back to that position.
 *
 * <p>Works on a channels-last ('c' order {@code [mb, H, W, C]}) copy on the host: one pass for the squared norms, one
 * for the selection, one copy of C values per output position. The backward pass recomputes the selection from the
 * layer input (stateless), so it always matches the forward pass on the same input.
 */
public class NormMaxPooling2DImpl extends AbstractLayer<NormMaxPooling2D> {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the runtime layer; DL4J calls this from {@link NormMaxPooling2D#instantiate}.
     *
     * @param conf     the layer's configuration
     * @param dataType the network's dtype
     */
    public NormMaxPooling2DImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Windows windows = windows(input);
        double[] x = channelsLast(input);
        int[] selected = windows.select(x);
        int c = windows.channels;
        double[] out = new double[selected.length * c];
        for (int r = 0; r < selected.length; r++) {
            System.arraycopy(x, selected[r] * c, out, r * c, c);
        }
        INDArray result = fromChannelsLast(out, windows.outputHeight, windows.outputWidth, windows);
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, result, 'c');
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Windows windows = windows(input);
        long[] expected = windows.shape(windows.outputHeight, windows.outputWidth);
        if (!Arrays.equals(expected, epsilon.shape())) {
            throw new DL4JInvalidInputException("epsilon must have the output shape " + Arrays.toString(expected)
                    + ", found " + Arrays.toString(epsilon.shape()) + " " + layerId());
        }
        int[] selected = windows.select(channelsLast(input));
        double[] e = channelsLast(epsilon);
        int c = windows.channels;
        double[] gradient = new double[windows.batch * windows.height * windows.width * c];
        for (int r = 0; r < selected.length; r++) {
            int to = selected[r] * c;
            int from = r * c;
            for (int k = 0; k < c; k++) {
                gradient[to + k] += e[from + k];
            }
        }
        INDArray result = fromChannelsLast(gradient, windows.height, windows.width, windows);
        return new Pair<>(new DefaultGradient(), workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, result, 'c'));
    }

    /** The values of a 4-D array of this layer's format, in channels-last 'c' order, in double. */
    private double[] channelsLast(INDArray x) {
        INDArray nhwc = layerConf().dataFormat() == CNN2DFormat.NCHW ? x.permute(0, 2, 3, 1) : x;
        return nhwc.dup('c').data().asDouble();
    }

    private INDArray fromChannelsLast(double[] values, int height, int width, Windows windows) {
        INDArray nhwc = Nd4j.create(values, new long[] {windows.batch, height, width, windows.channels},
                DataType.DOUBLE).castTo(dataType);
        return layerConf().dataFormat() == CNN2DFormat.NCHW ? nhwc.permute(0, 3, 1, 2) : nhwc;
    }

    private Windows windows(INDArray x) {
        NormMaxPooling2D conf = layerConf();
        if (x.rank() != 4) {
            throw new DL4JInvalidInputException("NormMaxPooling2D takes rank 4 input (" + conf.dataFormat()
                    + "), found shape " + Arrays.toString(x.shape()) + " " + layerId());
        }
        boolean nchw = conf.dataFormat() == CNN2DFormat.NCHW;
        Windows windows = new Windows(conf, Math.toIntExact(x.size(0)), Math.toIntExact(x.size(nchw ? 2 : 1)),
                Math.toIntExact(x.size(nchw ? 3 : 2)), Math.toIntExact(x.size(nchw ? 1 : 3)));
        if (windows.outputHeight < 1 || windows.outputWidth < 1) {
            throw new DL4JInvalidInputException("input " + Arrays.toString(x.shape()) + " is smaller than the "
                    + "pooling kernel " + Arrays.toString(conf.kernelSize()) + " " + layerId());
        }
        return windows;
    }

    /** Window geometry of one input shape, and the selection. */
    private static final class Windows {
        final int batch;
        final int height;
        final int width;
        final int channels;
        final int kernelHeight;
        final int kernelWidth;
        final int strideHeight;
        final int strideWidth;
        final int outputHeight;
        final int outputWidth;
        final int padTop;
        final int padLeft;
        final CNN2DFormat format;

        Windows(NormMaxPooling2D conf, int batch, int height, int width, int channels) {
            this.batch = batch;
            this.height = height;
            this.width = width;
            this.channels = channels;
            int[] kernel = conf.kernelSize();
            int[] stride = conf.stride();
            this.kernelHeight = kernel[0];
            this.kernelWidth = kernel[1];
            this.strideHeight = stride[0];
            this.strideWidth = stride[1];
            this.format = conf.dataFormat();
            if (conf.convolutionMode() == ConvolutionMode.Same) {
                outputHeight = (height + strideHeight - 1) / strideHeight;
                outputWidth = (width + strideWidth - 1) / strideWidth;
                // DL4J's top-left padding: half the total, rounded down
                padTop = Math.max(0, ((outputHeight - 1) * strideHeight + kernelHeight - height) / 2);
                padLeft = Math.max(0, ((outputWidth - 1) * strideWidth + kernelWidth - width) / 2);
            } else {
                outputHeight = height < kernelHeight ? 0 : (height - kernelHeight) / strideHeight + 1;
                outputWidth = width < kernelWidth ? 0 : (width - kernelWidth) / strideWidth + 1;
                padTop = 0;
                padLeft = 0;
            }
        }

        long[] shape(int h, int w) {
            return format == CNN2DFormat.NCHW ? new long[] {batch, channels, h, w} : new long[] {batch, h, w, channels};
        }

        /**
         * For every output position (channels-last order), the input position {@code (n H + h) W + w} whose
         * channel vector has the largest squared norm in its window; the first in row-major order on ties.
         */
        int[] select(double[] x) {
            double[] squaredNorm = new double[batch * height * width];
            for (int p = 0; p < squaredNorm.length; p++) {
                double sum = 0.0;
                for (int k = p * channels, end = k + channels; k < end; k++) {
                    sum += x[k] * x[k];
                }
                squaredNorm[p] = sum;
            }
            int[] selected = new int[batch * outputHeight * outputWidth];
            int r = 0;
            for (int n = 0; n < batch; n++) {
                for (int oh = 0; oh < outputHeight; oh++) {
                    for (int ow = 0; ow < outputWidth; ow++) {
                        selected[r++] = argmax(squaredNorm, n, oh * strideHeight - padTop,
                                ow * strideWidth - padLeft);
                    }
                }
            }
            return selected;
        }

        private int argmax(double[] squaredNorm, int n, int top, int left) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int h = Math.max(top, 0); h < Math.min(top + kernelHeight, height); h++) {
                for (int w = Math.max(left, 0); w < Math.min(left + kernelWidth, width); w++) {
                    int p = (n * height + h) * width + w;
                    if (best < 0 || squaredNorm[p] > bestValue) {   // strict: the first position wins ties
                        best = p;
                        bestValue = squaredNorm[p];
                    }
                }
            }
            return best;
        }
    }

    @Override
    public double calcRegularizationScore(boolean backpropOnlyParams) {
        return 0.0;
    }

    @Override
    public Type type() {
        return Type.SUBSAMPLING;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public INDArray params() {
        return null;
    }
}
