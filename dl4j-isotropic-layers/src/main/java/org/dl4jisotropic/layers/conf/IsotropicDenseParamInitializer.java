package org.dl4jisotropic.layers.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameter layout of an {@link IsotropicDenseLayer} inside the network's flat parameter vector.
 *
 * <pre>
 *   [ W (nIn * nOut, 'f' order as [nIn, nOut]), or d (min(nIn, nOut), as [1, min]) for diagonal connectivity
 *     | psi (nOut, as [1, nOut]; only if the input carries a scale)
 *     | b (nOut) | o or lambda (1; none in mode NONE) ]
 * </pre>
 * Initial values: W from the layer's weight initializer (orthogonal by default) or d = 1, psi = 0, b = biasInit (0 by
 * default), o = the configured squared length (constant mode) or lambda = log of it (trainable mode).
 */
public final class IsotropicDenseParamInitializer implements ParamInitializer {

    /** Weight matrix, {@code [nIn, nOut]}. */
    public static final String WEIGHT_KEY = "W";
    /** Diagonal weights of a layer with {@link Connectivity#DIAGONAL}, {@code [1, min(nIn, nOut)]}. */
    public static final String DIAGONAL_KEY = "d";
    /** Linear correction from the previous layer's scale, {@code [1, nOut]}. */
    public static final String PSI_KEY = "psi";
    /** Bias, {@code [nOut]}. */
    public static final String BIAS_KEY = "b";
    /** Squared intrinsic length o in constant mode, {@code [1]}; never updated by the optimizer. */
    public static final String INTRINSIC_LENGTH_KEY = "o";
    /** log o in trainable mode, {@code [1]}. */
    public static final String LOG_INTRINSIC_LENGTH_KEY = "lambda";

    private static final IsotropicDenseParamInitializer INSTANCE = new IsotropicDenseParamInitializer();

    private IsotropicDenseParamInitializer() {
    }

    /** The shared, stateless instance. */
    public static IsotropicDenseParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long total = 0;
        for (long[] shape : shapes(dense(layer)).values()) {
            total += shape[0] * shape[1];
        }
        return total;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return new ArrayList<>(shapes(dense(layer)).keySet());
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        IsotropicDenseLayer conf = dense(layer);
        String weights = conf.connectivity() == Connectivity.DIAGONAL ? DIAGONAL_KEY : WEIGHT_KEY;
        return conf.inputCarriesScale() ? List.of(weights, PSI_KEY) : List.of(weights);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        IsotropicDenseLayer layer = dense(conf.getLayer());
        Map<String, INDArray> params = views(layer, paramsView);
        for (String key : params.keySet()) {
            conf.addVariable(key);
        }
        if (initializeParams) {
            if (layer.connectivity() == Connectivity.DIAGONAL) {
                params.get(DIAGONAL_KEY).assign(1.0);
            } else {
                INDArray w = params.get(WEIGHT_KEY);
                layer.getWeightInitFn().init(layer.getNIn(), layer.getNOut(), w.shape(), 'f', w);
            }
            if (params.containsKey(PSI_KEY)) {
                params.get(PSI_KEY).assign(0.0);
            }
            double biasInit = Double.isNaN(layer.getBiasInit()) ? 0.0 : layer.getBiasInit();
            params.get(BIAS_KEY).assign(biasInit);
            IntrinsicLength length = layer.intrinsicLength();
            if (length.mode() == IntrinsicLength.Mode.CONSTANT) {
                params.get(INTRINSIC_LENGTH_KEY).assign(length.squaredLength());
            } else if (length.mode() == IntrinsicLength.Mode.TRAINABLE) {
                params.get(LOG_INTRINSIC_LENGTH_KEY).assign(Math.log(length.squaredLength()));
            }
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(dense(conf.getLayer()), gradientView);
    }

    private static Map<String, INDArray> views(IsotropicDenseLayer layer, INDArray flat) {
        Map<String, long[]> shapes = shapes(layer);
        long expected = 0;
        for (long[] shape : shapes.values()) {
            expected += shape[0] * shape[1];
        }
        if (flat.length() != expected) {
            throw new IllegalStateException("parameter view of IsotropicDenseLayer \"" + layer.getLayerName()
                    + "\" must have length " + expected + ", found " + flat.length());
        }
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
            long[] shape = entry.getValue();
            long length = shape[0] * shape[1];
            INDArray slice = vector.get(NDArrayIndex.interval(offset, offset + length));
            views.put(entry.getKey(), WEIGHT_KEY.equals(entry.getKey()) || PSI_KEY.equals(entry.getKey())
                    || DIAGONAL_KEY.equals(entry.getKey())
                    ? slice.reshape('f', shape[0], shape[1]) : slice);
            offset += length;
        }
        return Collections.unmodifiableMap(views);
    }

    private static Map<String, long[]> shapes(IsotropicDenseLayer layer) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        if (layer.connectivity() == Connectivity.DIAGONAL) {
            shapes.put(DIAGONAL_KEY, new long[] {1, Math.min(layer.getNIn(), layer.getNOut())});
        } else {
            shapes.put(WEIGHT_KEY, new long[] {layer.getNIn(), layer.getNOut()});
        }
        if (layer.inputCarriesScale()) {
            shapes.put(PSI_KEY, new long[] {1, layer.getNOut()});
        }
        shapes.put(BIAS_KEY, new long[] {1, layer.getNOut()});
        switch (layer.intrinsicLength().mode()) {
            case CONSTANT:
                shapes.put(INTRINSIC_LENGTH_KEY, new long[] {1, 1});
                break;
            case TRAINABLE:
                shapes.put(LOG_INTRINSIC_LENGTH_KEY, new long[] {1, 1});
                break;
            default:
                break;
        }
        return shapes;
    }

    private static IsotropicDenseLayer dense(Layer layer) {
        if (!(layer instanceof IsotropicDenseLayer)) {
            throw new IllegalArgumentException("IsotropicDenseParamInitializer needs an IsotropicDenseLayer, found "
                    + (layer == null ? "null" : layer.getClass().getName()));
        }
        return (IsotropicDenseLayer) layer;
    }
}
