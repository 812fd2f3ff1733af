package org.dl4jisotropic.layers.dl4j;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Elementwise tanh as a SameDiffLambdaLayer: the smallest layer that shows DL4J M2.1's doubled gradients. */
public class TanhLambdaLayer extends SameDiffLambdaLayer {

    @Override
    public SDVariable defineLayer(SameDiff sameDiff, SDVariable layerInput) {
        return sameDiff.math.tanh(layerInput);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }
}
