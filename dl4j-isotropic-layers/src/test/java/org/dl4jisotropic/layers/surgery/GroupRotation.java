package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.rotateAlong;

import java.util.Set;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Test code, independent of the surgery under test: applies an orthogonal R to a rotation group by hand, in float64,
 * straight from the layer formulas. Writers' outputs become {@code R^T a} (dense {@code W <- W R}, conv
 * {@code W[o'] <- sum_o R[o, o'] W[o]}, bias and psi likewise); every consumer block's fan-in rows for channel
 * {@code c'} become {@code sum_c R[c, c'] rows(c)}, so that the consumer sees the same input.
 */
final class GroupRotation {

    private GroupRotation() {
    }

    /** Rotates the whole group. */
    static void apply(ComputationGraph graph, RotationGroup group, INDArray r) {
        apply(graph, group, r, Set.of());
    }

    /**
     * Rotates the group's writers and every consumer block except those of the skipped consumers (for negative
     * controls).
     */
    static void apply(ComputationGraph graph, RotationGroup group, INDArray r, Set<String> skippedConsumers) {
        INDArray rt = r.transpose().dup();
        for (String writer : group.writers()) {
            boolean conv = isConvolution(graph, writer);
            // conv W [nOut, nIn, kH, kW]: output channels on dimension 0; dense W [nIn, nOut]: on dimension 1
            set(graph, writer + "_W", rotateAlong(param(graph, writer + "_W"), conv ? 0 : 1, rt));
            rotateVector(graph, writer + "_b", rt);
            if (graph.paramTable().containsKey(writer + "_psi")) {
                rotateVector(graph, writer + "_psi", rt);
            }
        }
        for (ConsumerBlock block : group.consumers()) {
            if (!skippedConsumers.contains(block.consumer())) {
                rotateBlock(graph, block, rt);
            }
        }
    }

    private static void rotateBlock(ComputationGraph graph, ConsumerBlock block, INDArray rt) {
        String key = block.consumer() + "_W";
        INDArray w = param(graph, key);
        long from = block.offset();
        long to = block.offset() + block.width();
        long k = block.multiplicity();
        switch (block.layout()) {
            case CONVOLUTION -> {
                INDArrayIndex[] channels = {NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all(),
                        NDArrayIndex.all()};
                w.put(channels, rotateAlong(w.get(channels).dup(), 1, rt));
            }
            case FEATURES -> {
                INDArrayIndex[] rows = {NDArrayIndex.interval(from, to), NDArrayIndex.all()};
                w.put(rows, rotateAlong(w.get(rows).dup(), 0, rt));
            }
            case FLATTENED_CHANNELS_FIRST -> {
                // rows c*k + p: the block is [width, k, nOut] in C order
                INDArrayIndex[] rows = {NDArrayIndex.interval(from * k, to * k), NDArrayIndex.all()};
                INDArray blockRows = w.get(rows).dup('c').reshape('c', block.width(), k, w.size(1));
                w.put(rows, rotateAlong(blockRows, 0, rt).reshape('c', block.width() * k, w.size(1)));
            }
            case FLATTENED_CHANNELS_LAST -> {
                // rows p*C + c: the matrix is [k, C, nOut] in C order
                INDArray cube = w.dup('c').reshape('c', k, block.inputChannels(), w.size(1));
                INDArrayIndex[] channels = {NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all()};
                cube.put(channels, rotateAlong(cube.get(channels).dup(), 1, rt));
                w = cube.reshape('c', w.size(0), w.size(1));
            }
            default -> throw new IllegalStateException("layout " + block.layout());
        }
        set(graph, key, w);
    }

    private static void rotateVector(ComputationGraph graph, String key, INDArray rt) {
        INDArray value = param(graph, key);
        INDArray row = value.reshape('c', 1, value.length());
        set(graph, key, rotateAlong(row, 1, rt).reshape('c', value.shape()));
    }

    private static boolean isConvolution(ComputationGraph graph, String name) {
        return ((LayerVertex) graph.getConfiguration().getVertices().get(name)).getLayerConf().getLayer()
                instanceof ConvolutionLayer;
    }

    /** A copy (never index a live parameter view: ND4J M2.1 can return an empty array for offset views). */
    private static INDArray param(ComputationGraph graph, String key) {
        return graph.getParam(key).dup('c');
    }

    private static void set(ComputationGraph graph, String key, INDArray value) {
        graph.getParam(key).assign(value.reshape(graph.getParam(key).shape()));
    }
}
