package org.dl4jisotropic.layers.testing;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter-free layer configuration instantiated on its own (outside a network), for checking its forward and
 * backward passes against independent formulas and finite differences.
 */
public final class IsolatedLayer {

    private final Layer layer;

    /**
     * Instantiates the layer in double precision.
     *
     * @param conf a configuration without parameters
     */
    public IsolatedLayer(org.deeplearning4j.nn.conf.layers.Layer conf) {
        this(conf, DataType.DOUBLE);
    }

    /**
     * Instantiates the layer in the given precision.
     *
     * @param conf     a configuration without parameters
     * @param dataType the network dtype the layer computes in
     */
    public IsolatedLayer(org.deeplearning4j.nn.conf.layers.Layer conf, DataType dataType) {
        NeuralNetConfiguration net = new NeuralNetConfiguration.Builder().dataType(dataType).layer(conf).build();
        this.layer = net.getLayer().instantiate(net, null, 0, null, true, dataType);
    }

    /** The layer's inference output for {@code input} (which is not modified). */
    public INDArray forward(INDArray input) {
        return layer.activate(input.dup(), false, LayerWorkspaceMgr.noWorkspaces()).dup();
    }

    /** {@code dL/dinput} for upstream gradient {@code epsilon} at {@code input}. */
    public INDArray backward(INDArray input, INDArray epsilon) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.activate(input.dup(), true, mgr);
        return layer.backpropGradient(epsilon.dup(), mgr).getSecond().dup();
    }

    /**
     * Central finite differences of {@code L(x) = sum(epsilon * forward(x))} with respect to every input entry.
     *
     * @param step the finite-difference step
     */
    public INDArray finiteDifferenceGradient(INDArray input, INDArray epsilon, double step) {
        INDArray x = input.dup('c');
        INDArray gradient = x.ulike();
        for (long i = 0; i < x.length(); i++) {
            double original = x.getDouble(i);
            x.putScalar(i, original + step);
            double plus = forward(x).mul(epsilon).sumNumber().doubleValue();
            x.putScalar(i, original - step);
            double minus = forward(x).mul(epsilon).sumNumber().doubleValue();
            x.putScalar(i, original);
            gradient.putScalar(i, (plus - minus) / (2 * step));
        }
        return gradient;
    }
}
