package org.dl4jisotropic.layers.surgery;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.conf.Connectivity;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Which ComputationGraph vertices keep the rotation symmetry of an isotropic layer's output, and what part each plays
 * when a group of channels is followed through a graph (conv-graph.md, table A5).
 *
 * <pre>
 *   role          vertices                                                          R acts
 *   writer        DenseLayer, ConvolutionLayer, IsotropicDenseLayer (dense)        on output rows: W &lt;- R^T W
 *                 with an isotropic activation (or IDENTITY, then only as a
 *                 residual-stream writer or before an isotropic ActivationLayer)
 *   consumer      DenseLayer, OutputLayer, IsotropicDenseLayer (dense),           on a block of input rows: W R
 *                 ConvolutionLayer; input preprocessor none or CnnToFeedForward
 *   transparent   SubsamplingLayer AVG, GlobalPoolingLayer AVG/SUM,               commutes with R
 *                 ZeroPaddingLayer, Cropping2D, Upsampling2D, ScaleVertex,
 *                 L2NormalizeVertex (all dimensions), ActivationLayer with an
 *                 isotropic or IDENTITY activation
 *   merge         MergeVertex                                                     on the branch's block
 *   stream        ElementWiseVertex Add, Subtract, Average                        one R shared by all inputs
 *   refused       everything else (max/pnorm pooling, BatchNormalization, LRN, dropout, Product/Max element-wise,
 *                 ShiftVertex, SubsetVertex, depthwise/separable/transposed convolutions, recurrent layers, ...)
 * </pre>
 * Exact layer classes are matched (a subclass may change the computation); refusals name the vertex, what was found
 * and what to use instead.
 */
final class VertexSymmetry {

    /** What a vertex does to a group of channels passing through it. */
    enum Role {
        /** Reads the channels through its weights: the end of a path. */
        CONSUMER,
        /** Applies the same linear map to every channel, or a function of the norm only. */
        TRANSPARENT,
        /** Concatenates its inputs along the channel axis. */
        MERGE,
        /** Adds, subtracts or averages its inputs: they must share one rotation. */
        STREAM
    }

    /** What kind of writer a layer vertex can be. */
    enum WriterKind {
        /** A layer with an isotropic activation: starts a rotation group. */
        ISOTROPIC,
        /**
         * A layer with an IDENTITY activation: its outputs rotate freely, but it only belongs to a group when it writes
         * into a residual stream or feeds an isotropic {@code ActivationLayer}.
         */
        LINEAR,
        /** Anything else: writes no group. */
        NONE
    }

    private static final String SUPPORTED_BETWEEN = "supported between an isotropic layer and its consumers: "
            + "SubsamplingLayer AVG, GlobalPoolingLayer AVG/SUM, ZeroPaddingLayer, Cropping2D, Upsampling2D, "
            + "ActivationLayer (isotropic or IDENTITY), MergeVertex, ElementWiseVertex Add/Subtract/Average, "
            + "ScaleVertex, L2NormalizeVertex";

    private VertexSymmetry() {
    }

    /**
     * The writer kind of a vertex.
     *
     * @throws IllegalArgumentException for a layer with an isotropic activation that cannot be rotated (its type, a
     *     diagonal connectivity, or a feature axis that does not match its data format), naming the vertex
     */
    static WriterKind writerKind(String name, GraphVertex vertex) {
        if (!(vertex instanceof LayerVertex)) {
            return WriterKind.NONE;
        }
        Layer layer = ((LayerVertex) vertex).getLayerConf().getLayer();
        if (layer instanceof IsotropicDenseLayer) {
            if (((IsotropicDenseLayer) layer).connectivity() != Connectivity.DENSE) {
                throw new IllegalArgumentException("vertex \"" + name + "\": an IsotropicDenseLayer with "
                        + ((IsotropicDenseLayer) layer).connectivity() + " connectivity (stored sparsely) cannot be "
                        + "rotated; use dense connectivity for layers that surgery changes");
            }
            return WriterKind.ISOTROPIC;
        }
        if (!(layer instanceof BaseLayer) || ((BaseLayer) layer).getActivationFn() == null) {
            return WriterKind.NONE;
        }
        IActivation activation = ((BaseLayer) layer).getActivationFn();
        boolean rotatable = layer.getClass() == DenseLayer.class || layer.getClass() == ConvolutionLayer.class;
        if (activation instanceof IsotropicActivation) {
            if (!rotatable) {
                throw new IllegalArgumentException("vertex \"" + name + "\": a " + layer.getClass().getSimpleName()
                        + " with an isotropic activation cannot be rotated by graph surgery; use a DenseLayer, "
                        + "ConvolutionLayer or IsotropicDenseLayer");
            }
            requireMatchingAxis(name, layer, (IsotropicActivation) activation);
            return WriterKind.ISOTROPIC;
        }
        return rotatable && activation instanceof ActivationIdentity ? WriterKind.LINEAR : WriterKind.NONE;
    }

    /**
     * The role of a vertex that receives a group's channels.
     *
     * @throws IllegalArgumentException if the vertex breaks the symmetry, naming it and the replacement to use
     */
    static Role role(String name, GraphVertex vertex) {
        if (vertex instanceof MergeVertex) {
            return Role.MERGE;
        }
        if (vertex instanceof ElementWiseVertex) {
            ElementWiseVertex.Op op = ((ElementWiseVertex) vertex).getOp();
            if (op == ElementWiseVertex.Op.Add || op == ElementWiseVertex.Op.Subtract
                    || op == ElementWiseVertex.Op.Average) {
                return Role.STREAM;
            }
            throw refused(name, "ElementWiseVertex " + op, "use Add, Subtract or Average (the sum commutes with a "
                    + "shared rotation, a per-channel " + op + " does not)");
        }
        if (vertex instanceof ScaleVertex) {
            return Role.TRANSPARENT;
        }
        if (vertex instanceof L2NormalizeVertex) {
            int[] dimension = ((L2NormalizeVertex) vertex).getDimension();
            if (dimension == null || dimension.length == 0) {
                return Role.TRANSPARENT;
            }
            throw refused(name, "L2NormalizeVertex over dimensions " + Arrays.toString(dimension),
                    "normalize over all dimensions (the default), whose norm a rotation keeps");
        }
        if (vertex instanceof LayerVertex) {
            return layerRole(name, (LayerVertex) vertex);
        }
        throw refused(name, vertex.getClass().getSimpleName(), "it does not keep the symmetry; "
                + SUPPORTED_BETWEEN);
    }

    private static Role layerRole(String name, LayerVertex vertex) {
        Layer layer = vertex.getLayerConf().getLayer();
        if (layer.getClass() == DropoutLayer.class) {
            throw refused(name, "DropoutLayer", "remove it (dropout masks are drawn per channel)");
        }
        if (layer.getIDropout() != null) {
            throw refused(name, layer.getClass().getSimpleName() + " with dropout", "remove the dropout: its "
                    + "masks are drawn per channel, so training would break the symmetry");
        }
        Class<?> type = layer.getClass();
        if (type == DenseLayer.class || type == OutputLayer.class || type == ConvolutionLayer.class
                || (layer instanceof IsotropicDenseLayer
                        && ((IsotropicDenseLayer) layer).connectivity() == Connectivity.DENSE)) {
            requireKnownPreprocessor(name, vertex.getPreProcessor(), true);
            return Role.CONSUMER;
        }
        requireKnownPreprocessor(name, vertex.getPreProcessor(), false);
        if (type == SubsamplingLayer.class) {
            PoolingType pooling = ((SubsamplingLayer) layer).getPoolingType();
            if (pooling == PoolingType.AVG) {
                return Role.TRANSPARENT;
            }
            throw refused(name, "SubsamplingLayer " + pooling, "use PoolingType.AVG (" + pooling
                    + " pooling selects per channel)");
        }
        if (type == GlobalPoolingLayer.class) {
            PoolingType pooling = ((GlobalPoolingLayer) layer).getPoolingType();
            if (pooling == PoolingType.AVG || pooling == PoolingType.SUM) {
                return Role.TRANSPARENT;
            }
            throw refused(name, "GlobalPoolingLayer " + pooling, "use PoolingType.AVG");
        }
        if (type == ZeroPaddingLayer.class || type == Cropping2D.class || type == Upsampling2D.class) {
            return Role.TRANSPARENT;
        }
        if (type == ActivationLayer.class) {
            IActivation activation = ((ActivationLayer) layer).getActivationFn();
            if (activation instanceof ActivationIdentity) {
                return Role.TRANSPARENT;
            }
            if (activation instanceof IsotropicActivation) {
                requireMatchingAxis(name, layer, (IsotropicActivation) activation);
                return Role.TRANSPARENT;
            }
            throw refused(name, "ActivationLayer " + activation, "use an isotropic activation (e.g. IsotropicTanh)"
                    + " or IDENTITY; an element-wise activation singles out channels");
        }
        if (type == BatchNormalization.class) {
            throw refused(name, "BatchNormalization", "remove it (isotropic networks train without it; its "
                    + "per-channel statistics and gain single out channels)");
        }
        if (type == LocalResponseNormalization.class) {
            throw refused(name, "LocalResponseNormalization", "remove it (it normalizes over a window of channel "
                    + "indices)");
        }
        if (layer instanceof ConvolutionLayer) {
            throw refused(name, type.getSimpleName(), "use a ConvolutionLayer (depthwise, separable, transposed "
                    + "and 1-D/3-D convolutions are not supported as consumers)");
        }
        throw refused(name, type.getSimpleName(), "it is not known to keep the symmetry; " + SUPPORTED_BETWEEN
                + "; consumers: DenseLayer, OutputLayer, IsotropicDenseLayer, ConvolutionLayer");
    }

    private static void requireKnownPreprocessor(String name, InputPreProcessor preprocessor, boolean consumer) {
        if (preprocessor == null || (consumer && preprocessor.getClass() == CnnToFeedForwardPreProcessor.class)) {
            return;
        }
        throw refused(name, "input preprocessor " + preprocessor.getClass().getSimpleName(),
                consumer ? "only CnnToFeedForwardPreProcessor (the flatten before a dense layer) is supported on a "
                        + "consumer; a reshape into channels mixes the group's channels with positions"
                        : "no preprocessor is supported between an isotropic layer and its consumers");
    }

    /** The isotropic norm must be over the channel axis of the layer's data format, or it singles out a position. */
    private static void requireMatchingAxis(String name, Layer layer, IsotropicActivation activation) {
        CNN2DFormat format = layer instanceof ConvolutionLayer ? ((ConvolutionLayer) layer).getCnn2dDataFormat()
                : null;
        if (format == null) {
            return;
        }
        FeatureAxis needed = format == CNN2DFormat.NHWC ? FeatureAxis.CHANNELS_LAST : FeatureAxis.CHANNELS_FIRST;
        if (activation.featureAxis() != needed) {
            throw new IllegalArgumentException("vertex \"" + name + "\": the isotropic activation's feature axis "
                    + activation.featureAxis() + " does not match the " + format + " data format (the norm would be "
                    + "taken over a spatial axis); use FeatureAxis." + needed);
        }
    }

    private static IllegalArgumentException refused(String name, String found, String remedy) {
        return new IllegalArgumentException("vertex \"" + name + "\" (" + found + ") breaks the rotation symmetry of "
                + "the isotropic channels that reach it, so graph surgery cannot keep the function exact: " + remedy);
    }
}
