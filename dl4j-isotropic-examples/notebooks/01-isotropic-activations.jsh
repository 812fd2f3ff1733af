// Notebook 1: isotropic activations and equivariance.
// Open with:  jshell --class-path dl4j-isotropic-examples/target/isotropic.jar \
//                    dl4j-isotropic-examples/notebooks/01-isotropic-activations.jsh
//
// An ordinary activation acts coordinate by coordinate. An isotropic one acts on the whole layer vector:
//     q = ||a||^2 + o,   s = tanh(sqrt(q)) / sqrt(q),   f(a) = s * a
// so only the length of a is squashed and its direction is kept. That makes f commute with every rotation R:
// f(R a) = R f(a). Elementwise tanh does not.

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.dl4jisotropic.core.activation.*;
import org.nd4j.autodiff.samediff.SameDiff;
import org.dl4jisotropic.core.runtime.NativeThreads;

// ND4J's native threads for this machine (see the README, "Performance"); OMP_NUM_THREADS overrides it.
System.out.println("native threads: " + NativeThreads.applyDefaults());

var kernel = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST);
Nd4j.getRandom().setSeed(7);
INDArray a = Nd4j.randn(DataType.DOUBLE, 4, 6).muli(2.0);      // 4 examples, a layer of 6 units
INDArray f = kernel.forward(a, 0.0).output();
System.out.println("input norms  " + a.norm2(1));
System.out.println("output norms " + f.norm2(1) + "   (= tanh of the input norms, always < 1)");

// A random rotation: the Q of a QR decomposition of a Gaussian matrix, via the SVD helper of this project.
var svd = org.dl4jisotropic.core.linalg.Svd.decompose(Nd4j.randn(DataType.DOUBLE, 6, 6));
INDArray r = svd.u();
double isotropicError = kernel.forward(a.mmul(r), 0.0).output().sub(f.mmul(r)).amaxNumber().doubleValue();
double tanhError = Transforms.tanh(a.mmul(r)).sub(Transforms.tanh(a).mmul(r)).amaxNumber().doubleValue();
System.out.printf("|f(aR) - f(a)R|: isotropic %.1e, elementwise tanh %.3f%n", isotropicError, tanhError);

// The backward pass is a closed-form vector-Jacobian product; at a = 0 it is the identity (no NaN, ever).
INDArray zero = Nd4j.zeros(DataType.DOUBLE, 1, 6);
INDArray g = Nd4j.ones(DataType.DOUBLE, 1, 6);
System.out.println("gradient at a = 0: " + kernel.backward(zero, g, 0.0).input());

// The family: other radial profiles, and an intrinsic length o > 0 that keeps the map smooth at the origin.
for (IsotropicProfile p : IsotropicProfile.values()) {
    var out = new IsotropicKernel(p, FeatureAxis.CHANNELS_FIRST).forward(a, 1e-6).output();
    System.out.printf("%-13s output norms %s%n", p, out.norm2(1));
}

// The same activation as a SameDiff composition (gradients by autodiff), for graphs built in SameDiff.
SameDiff sd = SameDiff.create();
var in = sd.placeHolder("in", DataType.DOUBLE, -1, 6);
IsotropicOps.isotropicTanh(sd, "out", in, 0.0);
INDArray viaSameDiff = sd.output(java.util.Map.of("in", a), "out").get("out");
System.out.printf("SameDiff vs kernel: %.1e%n", viaSameDiff.sub(f).amaxNumber().doubleValue());
