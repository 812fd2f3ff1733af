package org.dl4jisotropic.layers.surgery;

import java.util.List;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The logits of a MultiLayerNetwork whose last layer is a dense output layer: {@code x W + b} on the input that layer
 * receives, computed from DL4J's own forward pass (inference mode). Surgery measures its change on a probe batch.
 */
final class NetworkLogits {

    private NetworkLogits() {
    }

    /**
     * The logits of a batch.
     *
     * @param net    a network whose last layer is an {@code OutputLayer} or {@code DenseLayer}
     * @param inputs the batch. Not modified.
     * @return {@code [mb, nOut]}
     */
    static INDArray of(MultiLayerNetwork net, INDArray inputs) {
        int last = net.getnLayers() - 1;
        List<INDArray> activations = net.feedForwardToLayer(last - 1, inputs.dup(), false);
        INDArray x = activations.get(activations.size() - 1);
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(last);
        if (pre != null) {
            x = pre.preProcess(x.dup(), (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
        }
        INDArray w = net.getLayer(last).getParam("W");
        INDArray b = net.getLayer(last).getParam("b");
        return x.castTo(w.dataType()).mmul(w).addiRowVector(b.reshape(1, b.length()));
    }
}
