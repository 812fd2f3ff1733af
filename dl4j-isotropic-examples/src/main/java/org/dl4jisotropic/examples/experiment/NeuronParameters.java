package org.dl4jisotropic.examples.experiment;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.conf.IsotropicDenseParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes single neurons' parameters of an isotropic DL4J network, for the pruning baselines that the
 * surgery API deliberately does not offer (zeroing chosen neurons, undoing the o and psi updates).
 *
 * <p>Layout ({@link IsotropicDenseParamInitializer}): hidden layer l has {@code W [nIn, nOut]} (neuron j is column
 * j), {@code b [1, nOut]}, {@code psi [1, nOut]} when its input carries the previous layer's scale, and {@code o} or
 * {@code lambda = log o}. The layer after it holds neuron j's outgoing weights in row j of its {@code W}; a stock
 * output layer holds psi as the last row of {@code W}. Every read is a copy ({@code dup}: ND4J M2.1 can return wrong
 * results from indexing offset parameter views); every write assigns into the network's own parameter view.
 */
final class NeuronParameters {

    private NeuronParameters() {
    }

    /**
     * Zeroes neurons of a hidden layer: incoming weights, bias, psi entry and outgoing weights. A zeroed neuron's
     * pre-activation is exactly 0, so it adds nothing to the layer's norm and sends nothing on: the network computes
     * exactly what it would with the neurons removed (and no o or psi compensation).
     */
    static void zero(MultiLayerNetwork net, int layer, int[] neurons) {
        Layer hidden = net.getLayer(layer);
        double[][] w = matrix(hidden, IsotropicDenseParamInitializer.WEIGHT_KEY);
        double[] b = vector(hidden, IsotropicDenseParamInitializer.BIAS_KEY);
        double[] psi = hidden.paramTable().containsKey(IsotropicDenseParamInitializer.PSI_KEY)
                ? vector(hidden, IsotropicDenseParamInitializer.PSI_KEY) : null;
        Layer next = net.getLayer(layer + 1);
        double[][] out = matrix(next, IsotropicDenseParamInitializer.WEIGHT_KEY);
        for (int j : neurons) {
            for (double[] row : w) {
                row[j] = 0;
            }
            b[j] = 0;
            if (psi != null) {
                psi[j] = 0;
            }
            java.util.Arrays.fill(out[j], 0);
        }
        write(hidden, IsotropicDenseParamInitializer.WEIGHT_KEY, Nd4j.create(w));
        write(hidden, IsotropicDenseParamInitializer.BIAS_KEY, Nd4j.create(b));
        if (psi != null) {
            write(hidden, IsotropicDenseParamInitializer.PSI_KEY, Nd4j.create(psi));
        }
        write(next, IsotropicDenseParamInitializer.WEIGHT_KEY, Nd4j.create(out));
    }

    /**
     * Makes neurons of a hidden layer constant: incoming weights and psi entry zero, bias {@code value}. Their
     * pre-activation is then the constant {@code value} whatever the input.
     */
    static void makeConstant(MultiLayerNetwork net, int layer, int[] neurons, double value) {
        Layer hidden = net.getLayer(layer);
        double[][] w = matrix(hidden, IsotropicDenseParamInitializer.WEIGHT_KEY);
        double[] b = vector(hidden, IsotropicDenseParamInitializer.BIAS_KEY);
        double[] psi = hidden.paramTable().containsKey(IsotropicDenseParamInitializer.PSI_KEY)
                ? vector(hidden, IsotropicDenseParamInitializer.PSI_KEY) : null;
        for (int j : neurons) {
            for (double[] row : w) {
                row[j] = 0;
            }
            b[j] = value;
            if (psi != null) {
                psi[j] = 0;
            }
        }
        write(hidden, IsotropicDenseParamInitializer.WEIGHT_KEY, Nd4j.create(w));
        write(hidden, IsotropicDenseParamInitializer.BIAS_KEY, Nd4j.create(b));
        if (psi != null) {
            write(hidden, IsotropicDenseParamInitializer.PSI_KEY, Nd4j.create(psi));
        }
    }

    /** L2 norm of each neuron's incoming weights (the usual structured-pruning score). */
    static double[] incomingNorms(MultiLayerNetwork net, int layer) {
        double[][] w = matrix(net.getLayer(layer), IsotropicDenseParamInitializer.WEIGHT_KEY);
        double[] norms = new double[w[0].length];
        for (double[] row : w) {
            for (int j = 0; j < row.length; j++) {
                norms[j] += row[j] * row[j];
            }
        }
        for (int j = 0; j < norms.length; j++) {
            norms[j] = Math.sqrt(norms[j]);
        }
        return norms;
    }

    /**
     * The compensation state that removing a neuron of hidden layer {@code layer} updates: its intrinsic length
     * parameter ({@code o} or {@code lambda}) and the psi that feeds the next layer (the next layer's {@code psi}, or
     * the last row of a stock next layer's weights). A copy.
     */
    static Compensation compensation(MultiLayerNetwork net, int layer) {
        Layer hidden = net.getLayer(layer);
        String lengthKey = hidden.paramTable().containsKey(IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY)
                ? IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY
                : IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY;
        Layer next = net.getLayer(layer + 1);
        double[] psi;
        if (next.paramTable().containsKey(IsotropicDenseParamInitializer.PSI_KEY)) {
            psi = vector(next, IsotropicDenseParamInitializer.PSI_KEY);
        } else {
            double[][] w = matrix(next, IsotropicDenseParamInitializer.WEIGHT_KEY);
            psi = w[w.length - 1].clone();
        }
        return new Compensation(lengthKey, hidden.getParam(lengthKey).dup().getDouble(0), psi);
    }

    /** Puts back a saved compensation state (shapes are unchanged by a removal from {@code layer}). */
    static void restore(MultiLayerNetwork net, int layer, Compensation saved) {
        Layer hidden = net.getLayer(layer);
        hidden.getParam(saved.lengthKey()).assign(saved.length());
        Layer next = net.getLayer(layer + 1);
        if (next.paramTable().containsKey(IsotropicDenseParamInitializer.PSI_KEY)) {
            write(next, IsotropicDenseParamInitializer.PSI_KEY, Nd4j.create(saved.psi()));
        } else {
            double[][] w = matrix(next, IsotropicDenseParamInitializer.WEIGHT_KEY);
            w[w.length - 1] = saved.psi().clone();
            write(next, IsotropicDenseParamInitializer.WEIGHT_KEY, Nd4j.create(w));
        }
    }

    /**
     * A layer's intrinsic-length parameter and the psi feeding the next layer.
     *
     * @param lengthKey {@code o} or {@code lambda}
     * @param length    its value
     * @param psi       the psi that feeds the next layer
     */
    record Compensation(String lengthKey, double length, double[] psi) {
    }

    private static double[][] matrix(Layer layer, String key) {
        return layer.getParam(key).dup().toDoubleMatrix();
    }

    private static double[] vector(Layer layer, String key) {
        return layer.getParam(key).dup().toDoubleVector();
    }

    private static void write(Layer layer, String key, INDArray value) {
        INDArray target = layer.getParam(key);
        target.assign(value.castTo(target.dataType()).reshape(target.shape()));
    }
}
