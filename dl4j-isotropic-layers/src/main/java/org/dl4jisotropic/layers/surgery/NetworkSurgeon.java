package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.Function;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.adapt.AdaptationRound;
import org.dl4jisotropic.core.adapt.ScaffoldPolicy;
import org.dl4jisotropic.core.linalg.Scratch;
import org.dl4jisotropic.core.surgery.Diagonalizer;
import org.dl4jisotropic.core.surgery.ErrorBound;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.LayerInsight;
import org.dl4jisotropic.core.surgery.Neurodegeneration;
import org.dl4jisotropic.core.surgery.Neurogenesis;
import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.dl4jisotropic.core.surgery.SurgeryOperation;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Network surgery on a DL4J MultiLayerNetwork with isotropic hidden layers, dense or convolutional: diagonalization,
 * neurogenesis and neurodegeneration, with the parameters' optimizer state carried along and the iteration and epoch counts kept.
 *
 * <p>Every operation modifies the network passed to the constructor, in place: the same object keeps working, and
 * references to it stay valid (references to its parameter arrays do not survive a resize). Each operation is
 * all-or-nothing: the new configuration, parameters and updater state are computed on copies and validated first; if
 * anything fails, including while they are being installed, the network's configuration, parameters and updater
 * state are left bit-identical to before (if restoring them fails too, the network must be discarded: the original
 * exception then carries that failure as a suppressed exception). After every operation {@code gradient()} is null
 * until the next gradient computation, as in a new network, and {@code conf()} describes the new first layer.
 *
 * <p>Supported networks: hidden layers that are each an {@code IsotropicDenseLayer}, a {@code DenseLayer} or
 * {@code ConvolutionLayer} with an {@code Isotropic*} activation, or one of these with the identity activation
 * followed by an {@code IsotropicActivationLayer} or an {@code ActivationLayer} with an {@code Isotropic*} activation;
 * between them average pooling, zero padding, cropping, upsampling, {@code NormMaxPooling2D} and the flatten to a
 * dense layer; then an {@code OutputLayer} or {@code DenseLayer}. For convolutions every operation acts on channels:
 * a rotation of a layer's channels acts on its consumer as {@code R (x) I_k} (k kernel taps or flattened positions).
 * Hidden layer indices count hidden layers ({@link #hiddenLayerIndices} maps them to DL4J indices). Supported
 * updaters: {@value UpdaterStateKinds#SUPPORTED}. Neurons can only be removed from layers that pass their scale on
 * ({@code IsotropicDenseLayer} with a constant or trainable intrinsic length, or a layer followed by an
 * {@code IsotropicActivationLayer}): the removal needs psi and o. Full diagonalization needs fully connected layers.
 * With a probe batch, each report carries the measured max change of any logit.
 */
public final class NetworkSurgeon {

    private final MultiLayerNetwork net;
    private final INDArray probe;
    private final Consumer<String> checkpoint;

    /**
     * Prepares surgery on a network, checking its layers and updaters first.
     *
     * @param net an initialized network. Modified by every operation.
     * @throws IllegalArgumentException if a layer is not supported
     * @throws UnsupportedUpdaterException if an updater's state cannot be carried
     */
    public NetworkSurgeon(MultiLayerNetwork net) {
        this(net, null, stage -> { });
    }

    private NetworkSurgeon(MultiLayerNetwork net, INDArray probe, Consumer<String> checkpoint) {
        this.net = Objects.requireNonNull(net, "net");
        this.probe = probe;
        this.checkpoint = checkpoint;
        StackCodec.requireSupported(net);
        UpdaterStateView.of(net);
    }

    /**
     * The same surgeon measuring every operation's max logit change on a probe batch.
     *
     * @param inputs probe inputs {@code [mb, nIn]}. Not modified.
     */
    public NetworkSurgeon withProbe(INDArray inputs) {
        return new NetworkSurgeon(net, Objects.requireNonNull(inputs, "inputs").dup(), checkpoint);
    }

    /**
     * For tests: a callback run at named stages of an operation, to inject failures. The stages: "encoded" (planned,
     * nothing installed), "parameters" (new parameters in place), "installed" (everything in place), and "rollback"
     * (an install failed and the snapshot is about to be restored).
     */
    NetworkSurgeon withCheckpoint(Consumer<String> stages) {
        return new NetworkSurgeon(net, probe, stages);
    }

    /** The network being operated on. */
    public MultiLayerNetwork network() {
        return net;
    }

    /**
     * Current widths (neurons or channels) of a network's hidden layers, first layer first: for an MLP every layer but
     * the output layer, for a CNN the isotropic layers (see {@link #hiddenLayerIndices}). For a network that surgery
     * does not support (an elementwise baseline, say), the bias length of every layer with a bias but the last.
     */
    public static List<Long> hiddenWidths(MultiLayerNetwork net) {
        List<Integer> indices;
        try {
            indices = hiddenLayerIndices(net);
        } catch (IllegalArgumentException unsupported) {
            // widths are still worth reporting for networks surgery cannot operate on
            indices = new ArrayList<>();
            for (int i = 0; i < net.getnLayers() - 1; i++) {
                if (net.getLayer(i).paramTable().containsKey("b")) {
                    indices.add(i);
                }
            }
        }
        List<Long> widths = new ArrayList<>();
        for (int index : indices) {
            widths.add(net.getLayer(index).getParam("b").length());
        }
        return widths;
    }

    /**
     * The DL4J layer index of each hidden layer, in the numbering that surgery and the listener use: hidden layer h
     * is DL4J layer {@code hiddenLayerIndices(net).get(h)}. For an MLP, h itself; in a CNN pooling and activation
     * layers are skipped.
     *
     * @throws IllegalArgumentException if surgery does not support the network, naming the layer
     */
    public static List<Integer> hiddenLayerIndices(MultiLayerNetwork net) {
        List<Integer> indices = new ArrayList<>();
        for (NetworkLayout.Unit unit : NetworkLayout.of(net.getLayerWiseConfigurations()).units()) {
            if (unit.hidden()) {
                indices.add(unit.layer());
            }
        }
        return indices;
    }

    /**
     * Describes every hidden layer without changing the network: singular spectrum, intrinsic length, |psi| and, for
     * diagonal layers, the one-to-one connection strengths.
     */
    public List<LayerInsight> inspect() {
        return LayerInsight.of(StackCodec.read(net));
    }

    /** Singular spectra of every hidden layer's incoming weights, without changing the network. */
    public List<SingularSpectrum> spectra() {
        List<SingularSpectrum> spectra = new ArrayList<>();
        for (LayerInsight insight : inspect()) {
            spectra.add(insight.spectrum());
        }
        return spectra;
    }

    /**
     * Rewrites one hidden layer in another basis: {@code W_l <- W_l R, b_l <- b_l R, psi_l <- psi_l R,
     * W_{l+1} <- R^T W_{l+1}}, first moments exactly, second moments by the squared rotation. The function is
     * unchanged.
     *
     * @param layer    hidden layer index
     * @param rotation orthogonal {@code [n, n]}, n the layer's width. Not modified.
     * @throws IllegalArgumentException if the shape is wrong
     * @throws org.dl4jisotropic.core.surgery.NonOrthogonalRotationException if {@code R^T R} differs from I by more
     *     than 1e-10 (1e-5 for a FLOAT rotation); the network is unchanged
     */
    public SurgeryReport rotate(int layer, INDArray rotation) {
        INDArray r = rotation.dup();   // the caller may change its array while the operation runs
        return apply(stack -> {
            long width = widthOf(stack, layer);
            stack.rotate(layer, r);
            return List.of(exact(layer, SurgeryOperation.ROTATE, width));
        }).get(0);
    }

    /** Left-partial diagonalization of one hidden layer; the function is unchanged. */
    public SurgeryReport diagonalizeLeft(int layer) {
        return apply(stack -> {
            long width = widthOf(stack, layer);
            Diagonalizer.diagonalizeLeft(stack, layer);
            return List.of(exact(layer, SurgeryOperation.DIAGONALIZE_LEFT, width));
        }).get(0);
    }

    /** Left-partial diagonalization of every hidden layer at once; the function is unchanged. */
    public List<SurgeryReport> diagonalizeAllLeft() {
        return apply(stack -> {
            List<SurgeryReport> reports = new ArrayList<>();
            for (int l = 0; l < stack.hiddenLayers(); l++) {
                Diagonalizer.diagonalizeLeft(stack, l);
                reports.add(exact(l, SurgeryOperation.DIAGONALIZE_LEFT, stack.layer(l).width()));
            }
            return reports;
        });
    }

    /** Full diagonalization of hidden layer {@code layer} (it and the layer before must be hidden). */
    public SurgeryReport diagonalizeFull(int layer) {
        return apply(stack -> {
            long width = widthOf(stack, layer);
            Diagonalizer.diagonalizeFull(stack, layer);
            return List.of(exact(layer, SurgeryOperation.DIAGONALIZE_FULL, width));
        }).get(0);
    }

    /** Full diagonalization of hidden layers 1, 3, 5, ...; the function is unchanged. */
    public List<SurgeryReport> diagonalizeAlternating() {
        return apply(stack -> {
            List<SurgeryReport> reports = new ArrayList<>();
            for (int l : Diagonalizer.diagonalizeAlternating(stack)) {
                reports.add(exact(l, SurgeryOperation.DIAGONALIZE_FULL, stack.layer(l).width()));
            }
            return reports;
        });
    }

    /**
     * Adds scaffold neurons to a hidden layer; the function is unchanged.
     *
     * @param layer hidden layer index
     * @param count neurons to add; &gt;= 1
     * @param seed  seed of the scaffolds' outgoing weights
     */
    public SurgeryReport grow(int layer, int count, long seed) {
        return apply(stack -> List.of(Neurogenesis.grow(stack, layer, count, seed))).get(0);
    }

    /**
     * Removes the {@code count} smallest-singular-value neurons of a hidden layer (after diagonalizing it), with the
     * intrinsic-length and psi updates that make removing constant neurons exact.
     *
     * @param layer hidden layer index (an {@code IsotropicDenseLayer} with constant or trainable o)
     * @param count neurons to remove; in [1, width - 1]
     * @return the report with the removed singular values and the error bound
     */
    public SurgeryReport shrink(int layer, int count) {
        return apply(stack -> {
            layout().requireRemovable(layer);
            Neurodegeneration.requireRemovable(stack, layer, count);
            OptionalDouble inputBound = ErrorBound.universalInputNormBound(stack, layer);
            return List.of(Neurodegeneration.shrink(stack, layer, count, inputBound));
        }).get(0);
    }

    /**
     * One round of adaptive width, installed atomically: for each listed hidden layer, last first, diagonalize, count
     * scaffolds and grow or shrink as its policy says ({@link AdaptationRound}).
     *
     * @param policies policy per hidden layer; every listed layer must accept removals
     * @param seed     seed of the new scaffolds' outgoing weights
     * @return one report per listed layer, last layer first
     */
    public List<SurgeryReport> adaptWidths(Map<Integer, ScaffoldPolicy> policies, long seed) {
        return apply(stack -> {
            for (int layer : policies.keySet()) {
                layout().requireRemovable(layer);
                Neurodegeneration.requireShrinkable(stack, layer);
            }
            return AdaptationRound.run(stack, policies, seed);
        });
    }

    /**
     * Checks, without changing anything, that every listed hidden layer can both grow and shrink.
     *
     * @throws IllegalArgumentException naming the first layer that cannot, and why
     */
    public void requireAdaptable(Iterable<Integer> layers) {
        IsotropicStack stack = StackCodec.read(net);
        for (int layer : layers) {
            layout().requireRemovable(layer);
            Neurodegeneration.requireShrinkable(stack, layer);
        }
    }

    private NetworkLayout layout() {
        return NetworkLayout.of(net.getLayerWiseConfigurations());
    }

    private static long widthOf(IsotropicStack stack, int layer) {
        stack.requireHidden(layer);
        return stack.layer(layer).width();
    }

    private static SurgeryReport exact(int layer, SurgeryOperation operation, long width) {
        return SurgeryReport.exact(layer, operation, 0, width, width);
    }

    /** Plans on a copy, then installs atomically; measures the logit change when a probe is set. */
    private List<SurgeryReport> apply(Function<IsotropicStack, List<SurgeryReport>> operation) {
        IsotropicStack stack = StackCodec.read(net);
        INDArray before;
        List<SurgeryReport> reports;
        StackCodec.Encoded encoded;
        try {
            before = probe == null ? null : logits(stack);
            reports = operation.apply(stack);
            encoded = StackCodec.encode(net, stack);
        } finally {
            stack.release();   // a working copy; encode copied what the network keeps
        }
        checkpoint.accept("encoded");
        install(encoded);
        if (before == null) {
            return reports;
        }
        IsotropicStack after = StackCodec.read(net);
        double change = before.sub(logits(after)).amaxNumber().doubleValue();
        after.release();
        List<SurgeryReport> measured = new ArrayList<>();
        for (SurgeryReport report : reports) {
            measured.add(report.withMaxOutputChange(change));
        }
        return measured;
    }

    /**
     * The probe's logits: from the stack for fully connected networks, from the network itself (the output layer's
     * pre-activation) for convolutional ones, which the stack cannot evaluate.
     */
    private INDArray logits(IsotropicStack stack) {
        return stack.isFullyConnected() ? stack.logits(probe) : NetworkLogits.of(net, probe);
    }

    /**
     * Installs an encoded network; on any failure restores the snapshot taken first and rethrows.
     *
     * <p>If the restore fails too, the network's state is undefined: the original failure is rethrown with an
     * {@link IllegalStateException} saying so attached as suppressed (its cause is the restore's failure), so neither
     * is lost.
     */
    private void install(StackCodec.Encoded encoded) {
        boolean sameShape = net.params().length() == encoded.parameters().length()
                && net.getLayerWiseConfigurations().equals(encoded.configuration());
        MultiLayerConfiguration oldConfiguration = net.getLayerWiseConfigurations().clone();
        // A rebuild gives the network new arrays and leaves the old ones untouched, so they are the snapshot itself;
        // an install into the same shapes overwrites them, so it needs copies.
        INDArray oldParameters = sameShape ? net.params().dup() : net.params();
        INDArray state = net.getUpdater().getStateViewArray();
        INDArray oldState = state == null ? null : sameShape ? state.dup() : state;
        try {
            if (sameShape) {
                net.setParams(encoded.parameters());
                // computed for the parameters just replaced; a rebuild drops it too
                net.setGradient(null);
                checkpoint.accept("parameters");
                if (encoded.updaterState() != null) {
                    net.getUpdater().getStateViewArray().assign(encoded.updaterState());
                }
                Scratch.release(encoded.parameters(), encoded.updaterState());   // both were copied in
            } else {
                NetworkRebuilder.rebuild(net, encoded.configuration(), encoded.parameters(), null);
                checkpoint.accept("parameters");
                if (encoded.updaterState() != null) {
                    net.getUpdater().setStateViewArray(net, encoded.updaterState(), false);
                    Scratch.release(encoded.updaterState());   // copied in; the parameters were adopted
                }
            }
            checkpoint.accept("installed");
        } catch (RuntimeException | Error e) {
            restore(e, oldConfiguration, oldParameters, oldState);
            throw e;
        }
    }

    /** Puts the snapshot back after a failed install; a failure here is attached to the install's failure. */
    private void restore(Throwable failure, MultiLayerConfiguration configuration, INDArray parameters,
                         INDArray state) {
        try {
            checkpoint.accept("rollback");
            NetworkRebuilder.rebuild(net, configuration, parameters, state);
        } catch (RuntimeException | Error rollbackFailure) {
            // Errors too (an OutOfMemoryError while re-initializing): the caller must still see the first failure.
            failure.addSuppressed(new IllegalStateException("restoring the network after a failed surgery also "
                    + "failed; its configuration, parameters and updater state are now undefined: discard it and "
                    + "reload a saved copy", rollbackFailure));
        }
    }
}
