package org.dl4jisotropic.core.activation;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class IsotropicOpsTest {

    private static final long SEED = 5L;

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void compositionComputesTheSameOutputAsTheKernel(IsotropicProfile profile) {
        INDArray x = input();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, 5);
        IsotropicOps.isotropic(sd, "out", in, profile, 0.25, FeatureAxis.CHANNELS_FIRST);

        INDArray graph = sd.output(Map.of("in", x), "out").get("out");
        INDArray kernel = new IsotropicKernel(profile, FeatureAxis.CHANNELS_FIRST).forward(x, 0.25).output();

        double error = maxAbsDifference(graph, kernel);
        assertTrue(error <= Tolerances.SAME_FORMULA_F64, () -> profile + ": max difference " + error);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    @ExtendWith(DoublePrecision.class)
    void autodiffGradientsPassSameDiffGradientCheckWithTrainableIntrinsicLength(IsotropicProfile profile) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.var("in", input());
        SDVariable lambda = sd.var("lambda", Nd4j.scalar(Math.log(0.3)));
        SDVariable out = IsotropicOps.isotropic(sd, "out", in, profile, sd.math.exp(lambda),
                FeatureAxis.CHANNELS_FIRST);
        SDVariable weights = sd.constant("weights", gaussian(SEED + 3, DataType.DOUBLE, 4, 5));
        SDVariable loss = out.mul(weights).sum("loss");
        sd.setLossVariables(loss);

        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), false, false), profile + " gradient check failed");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void autodiffGradientAgreesWithTheClosedFormBackwardIncludingAtTheOrigin(IsotropicProfile profile) {
        INDArray x = input();
        x.getRow(0).assign(0.0);
        INDArray g = gaussian(SEED + 3, DataType.DOUBLE, 4, 5);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.var("in", x.dup());
        SDVariable out = IsotropicOps.isotropic(sd, "out", in, profile, 0.0, FeatureAxis.CHANNELS_FIRST);
        sd.setLossVariables(out.mul(sd.constant(g)).sum("loss"));

        INDArray autodiff = sd.calculateGradients(Map.of(), "in").get("in");
        INDArray closedForm = new IsotropicKernel(profile, FeatureAxis.CHANNELS_FIRST).backward(x, g, 0.0).input();

        double error = maxAbsDifference(autodiff, closedForm);
        assertTrue(error <= Tolerances.SURGERY_F64, () -> profile + ": max difference " + error);
    }

    @Test
    void compositionRejectsNegativeIntrinsicLength() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, 5);
        assertThrows(IllegalArgumentException.class, () -> IsotropicOps.isotropicTanh(sd, "out", in, -1.0));
    }

    private static INDArray input() {
        return gaussian(SEED, DataType.DOUBLE, 4, 5).muli(0.7);
    }
}
