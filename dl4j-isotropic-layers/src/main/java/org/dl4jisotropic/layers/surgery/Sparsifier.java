package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes an isotropic network sparse with identical outputs: alternating full diagonalization of hidden layers 1, 3,
 * 5, ... leaves each of those weight matrices with {@code min(nIn, nOut)} non-zeros, and those layers are then
 * stored with {@link org.dl4jisotropic.layers.conf.Connectivity#DIAGONAL} connectivity: one weight per connection,
 * run as an elementwise scaling.
 *
 * <pre>
 *   removed parameters = sum over diagonal layers of (nIn * nOut - min(nIn, nOut))
 *                      = ceil((D - 1) / 2) * (n^2 - n)     for D hidden layers of width n
 * </pre>
 * Only {@code IsotropicDenseLayer}s are converted; a {@code DenseLayer} with an isotropic activation in an odd
 * position is diagonalized but stays dense. The input network is not modified; the result carries its updater state
 * (a diagonal weight keeps the state of the matching dense entry) and its iteration and epoch counts.
 */
public final class Sparsifier {

    private Sparsifier() {
    }

    /** The sparse network and what was saved. */
    public record Result(MultiLayerNetwork network, SparsificationReport report) {
    }

    /**
     * Builds the sparse equivalent of a network.
     *
     * @param net   a fully connected network {@link NetworkSurgeon} supports. Not modified.
     * @param probe inputs on which to measure the output difference, or null
     * @return the new network and the report
     * @throws IllegalArgumentException if the network has convolutions
     */
    public static Result sparsify(MultiLayerNetwork net, INDArray probe) {
        if (NetworkLayout.of(net.getLayerWiseConfigurations()).isConvolutional()) {
            throw new IllegalArgumentException("sparsification needs a fully connected network: a k x k convolution "
                    + "mixes kernel taps, so its layers have no one-to-one basis (left diagonalization and channel "
                    + "surgery do work on it)");
        }
        MultiLayerNetwork diagonal = net.clone();
        List<Integer> converted = new ArrayList<>();
        for (SurgeryReport report : new NetworkSurgeon(diagonal).diagonalizeAlternating()) {
            if (diagonal.getLayerWiseConfigurations().getConf(report.layer()).getLayer()
                    instanceof IsotropicDenseLayer) {
                converted.add(report.layer());
            }
        }
        MultiLayerConfiguration configuration = diagonal.getLayerWiseConfigurations().clone();
        for (int l : converted) {
            IsotropicDenseLayer dense = (IsotropicDenseLayer) configuration.getConf(l).getLayer();
            configuration.getConf(l).setLayer(dense.withDiagonalConnectivity());
        }
        MultiLayerNetwork sparse = new MultiLayerNetwork(configuration);
        sparse.init();
        copyParametersAndState(diagonal, sparse, converted);
        sparse.setIterationCount(net.getIterationCount());
        sparse.setEpochCount(net.getEpochCount());

        double change = probe == null ? 0.0
                : net.output(probe).sub(sparse.output(probe)).amaxNumber().doubleValue();
        SparsificationReport report = new SparsificationReport(converted, net.numParams(), sparse.numParams(),
                nonzeros(net.params()), nonzeros(sparse.params()), change);
        return new Result(sparse, report);
    }

    private static void copyParametersAndState(MultiLayerNetwork from, MultiLayerNetwork to, List<Integer> diagonal) {
        UpdaterStateView fromState = UpdaterStateView.of(from);
        UpdaterStateView toState = UpdaterStateView.of(to);
        INDArray fromView = fromState.hasState(from) ? from.getUpdater().getStateViewArray() : null;
        INDArray toView = toState.hasState(to) ? to.getUpdater().getStateViewArray() : null;
        for (int l = 0; l < to.getnLayers(); l++) {
            for (String name : to.getLayer(l).paramTable().keySet()) {
                String key = l + "_" + name;
                boolean toDiagonal = diagonal.contains(l) && IsotropicDenseParamInitializer.DIAGONAL_KEY.equals(name);
                String source = toDiagonal ? l + "_" + IsotropicDenseParamInitializer.WEIGHT_KEY : key;
                INDArray value = from.getParam(source);
                to.getParam(key).assign(toDiagonal ? diagonalOf(value) : value);
                if (toView != null && !toState.kinds(key).isEmpty()) {
                    List<INDArray> components = new ArrayList<>();
                    for (INDArray flat : fromState.read(fromView, source)) {
                        components.add(toDiagonal ? diagonalOf(flat.reshape('f', value.shape())) : flat);
                    }
                    toState.write(toView, key, components);
                }
            }
        }
    }

    private static INDArray diagonalOf(INDArray w) {
        int k = (int) Math.min(w.rows(), w.columns());
        INDArray d = Nd4j.create(w.dataType(), 1, k);
        for (int i = 0; i < k; i++) {
            d.putScalar(0, i, w.getDouble(i, i));
        }
        return d;
    }

    private static long nonzeros(INDArray parameters) {
        return parameters.neq(0.0).castTo(DataType.LONG).sumNumber().longValue();
    }
}
