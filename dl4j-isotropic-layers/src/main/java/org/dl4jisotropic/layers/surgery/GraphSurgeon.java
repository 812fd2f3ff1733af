package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.core.linalg.Svd;
import org.dl4jisotropic.core.linalg.SvdCheck;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.dl4jisotropic.core.surgery.SurgeryOperation;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact surgery on a DL4J ComputationGraph, one rotation group at a time ({@link GraphRotationGroups}): rotation,
 * left-partial diagonalization and growth, with the optimizer state carried along and the iteration and epoch counts
 * kept. The counterpart of {@link NetworkSurgeon} for graphs.
 *
 * <pre>
 *   rotate R (orthogonal [width, width]):
 *     every writer:          W &lt;- W R (columns = channels; conv weights as [nIn·kH·kW, nOut]),  b &lt;- b R,  psi &lt;- psi R
 *     every consumer block:  rows &lt;- (R (x) I_k)^T rows   (the block's k fan-in rows per channel, input-major)
 *   diagonalizeLeft:  [W_1; W_2; ...]^T = U S Q^T (writers' canonical weights stacked), rotate by U
 *   grow by c:        writers get c zero columns; every consumer block gets k·c rows of 0.01 N(0, 1) at its end
 * </pre>
 * A group is named by any of its writers' layer names. State: first moments rotate like the weights, second moments by
 * the squared rotation; new entries get 0 (first moments) or the mean of the block's existing entries (second
 * moments), as {@link org.dl4jisotropic.core.surgery.TrackedParameter} does.
 *
 * <p>Every operation modifies the graph passed to the constructor, in place: the same object keeps working (also from
 * a listener inside {@code fit}), references to it stay valid, references to its parameter arrays do not survive a
 * growth. Each operation is all-or-nothing: the new configuration, parameters and updater state are computed on copies
 * first; if anything fails, including while they are installed, the configuration, parameters and updater state are
 * restored bit-identical (if restoring fails too, the original exception carries that failure as suppressed and the
 * graph must be discarded). Afterwards the gradient is null until the next backward pass.
 *
 * <p>Each {@link SurgeryReport}'s {@code layer} is the index of the operated group in {@link #groups()} (as it was
 * before the operation). Graphs whose groups {@link GraphRotationGroups} refuses (a symmetry-breaking vertex, an
 * {@code IsotropicDenseLayer} with diagonal connectivity, ...) are refused by the constructor, naming the vertex.
 *
 * <p>Removal of channels is not implemented for graphs: {@link #shrink} always refuses.
 */
public final class GraphSurgeon {

    private final ComputationGraph graph;
    private final INDArray[] probe;
    private final Consumer<String> checkpoint;

    /**
     * Prepares surgery on a graph, checking its structure and updaters first.
     *
     * @param graph an initialized graph. Modified by every operation.
     * @throws IllegalArgumentException if a path from an isotropic layer breaks the symmetry (see
     *     {@link GraphRotationGroups#of})
     * @throws UnsupportedUpdaterException if an updater's state cannot be carried
     */
    public GraphSurgeon(ComputationGraph graph) {
        this(graph, null, stage -> { });
    }

    private GraphSurgeon(ComputationGraph graph, INDArray[] probe, Consumer<String> checkpoint) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.probe = probe;
        this.checkpoint = checkpoint;
        GraphRotationGroups.of(graph.getConfiguration());
        UpdaterStateView.of(graph);
    }

    /**
     * The same surgeon measuring every operation's max output change on a probe batch.
     *
     * @param inputs one probe array per network input, as for {@code ComputationGraph.output}. Copied.
     */
    public GraphSurgeon withProbe(INDArray... inputs) {
        INDArray[] copies = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            copies[i] = Objects.requireNonNull(inputs[i], "probe input " + i).dup();
        }
        return new GraphSurgeon(graph, copies, checkpoint);
    }

    /**
     * For tests: a callback run at named stages of an operation, to inject failures: "planned" (nothing installed),
     * "parameters" (new parameters in place), "installed" (everything in place) and "rollback" (an install failed and
     * the snapshot is about to be restored).
     */
    GraphSurgeon withCheckpoint(Consumer<String> stages) {
        return new GraphSurgeon(graph, probe, stages);
    }

    /** The graph being operated on. */
    public ComputationGraph graph() {
        return graph;
    }

    /** The graph's rotation groups now, ordered by their first writer in topological order. */
    public List<RotationGroup> groups() {
        return GraphRotationGroups.of(graph.getConfiguration());
    }

    /**
     * The rotation group a layer writes.
     *
     * @param writer a layer vertex's name
     * @throws IllegalArgumentException if no group has that writer, listing the writers there are
     */
    public RotationGroup group(String writer) {
        return groups().get(groupIndex(writer));
    }

    /**
     * Rewrites a group in another basis (see the class comment); the function is unchanged.
     *
     * @param writer   any writer of the group
     * @param rotation orthogonal {@code [width, width]}. Not modified.
     * @throws IllegalArgumentException if the shape is wrong, or {@code R^T R} differs from I by more than
     *     {@value IsotropicStack#DOUBLE_ROTATION_TOLERANCE} ({@value IsotropicStack#FLOAT_ROTATION_TOLERANCE} for a
     *     FLOAT rotation); the graph is unchanged
     */
    public SurgeryReport rotate(String writer, INDArray rotation) {
        INDArray r = rotation.dup();   // the caller may change its array while the operation runs
        int index = groupIndex(writer);
        RotationGroup group = groups().get(index);
        requireOrthogonal(group, r);
        return apply(group, edit -> {
            edit.rotate(r.castTo(graph.params().dataType()));
            return graph.getConfiguration();
        }, SurgeryReport.exact(index, SurgeryOperation.ROTATE, 0, group.width(), group.width()));
    }

    /**
     * Left-partial diagonalization of a group: rotates it by U of the checked SVD of its writers' stacked weights, so
     * that the stacked weights' columns become orthogonal with descending norms; the function is unchanged.
     *
     * @param writer any writer of the group
     * @return the report and the singular spectrum, one value per channel (0 for channels beyond the stacked fan-in)
     */
    public GraphDiagonalization diagonalizeLeft(String writer) {
        int index = groupIndex(writer);
        RotationGroup group = groups().get(index);
        double[][] spectrum = new double[1][];
        SurgeryReport report = apply(group, edit -> {
            Svd.LeftSvd svd = Svd.decomposeLeft(edit.stackedWriterWeights().transpose().dup());
            requireOrthogonal(group, svd.u());
            spectrum[0] = Arrays.copyOf(svd.singularValues().toDoubleVector(), Math.toIntExact(group.width()));
            edit.rotate(svd.u().castTo(graph.params().dataType()));
            return graph.getConfiguration();
        }, SurgeryReport.exact(index, SurgeryOperation.DIAGONALIZE_LEFT, 0, group.width(), group.width()));
        return new GraphDiagonalization(report, new SingularSpectrum(spectrum[0]));
    }

    /**
     * Adds inert channels to a group: zero incoming weights, bias and psi in every writer, small outgoing weights in
     * every consumer block; the function is unchanged.
     *
     * @param writer any writer of the group
     * @param count  channels to add; &gt;= 1
     * @param seed   seed of the new outgoing weights
     */
    public SurgeryReport grow(String writer, int count, long seed) {
        int index = groupIndex(writer);
        RotationGroup group = groups().get(index);
        if (count < 1) {
            throw new IllegalArgumentException("the growth of the group of " + group.writers()
                    + " must add at least 1 channel, found " + count);
        }
        return apply(group, edit -> {
            edit.grow(count, seed);
            return GraphConfigurationResizer.resized(graph.getConfiguration(), group, group.width() + count);
        }, SurgeryReport.exact(index, SurgeryOperation.GROW, count, group.width(), group.width() + count));
    }

    /**
     * Always refuses: exact removal of channels is not implemented for graphs yet.
     *
     * @throws UnsupportedOperationException always, before anything changes; the message says why (and, for a
     *     residual stream, why removal there cannot be exact at all)
     */
    public SurgeryReport shrink(String writer, int count) {
        RotationGroup group = group(writer);
        throw new UnsupportedOperationException("cannot remove " + count + " channel(s) of the group of "
                + group.writers() + ": removal of channels on ComputationGraphs is not implemented yet"
                + group.removalRefusal().map(reason -> "; moreover " + reason).orElse("")
                + ". Grow or rotate graphs with GraphSurgeon, or shrink a MultiLayerNetwork with NetworkSurgeon");
    }

    private int groupIndex(String writer) {
        List<RotationGroup> groups = groups();
        List<String> writers = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).writers().contains(writer)) {
                return i;
            }
            writers.addAll(groups.get(i).writers());
        }
        throw new IllegalArgumentException("no rotation group is written by \"" + writer + "\"; the writers are "
                + writers);
    }

    private static void requireOrthogonal(RotationGroup group, INDArray r) {
        if (r.rank() != 2 || r.rows() != group.width() || r.columns() != group.width()) {
            throw new IllegalArgumentException("rotation of the group of " + group.writers() + " must be ["
                    + group.width() + ", " + group.width() + "], found " + Arrays.toString(r.shape()));
        }
        double tolerance = r.dataType() == DataType.DOUBLE ? IsotropicStack.DOUBLE_ROTATION_TOLERANCE
                : IsotropicStack.FLOAT_ROTATION_TOLERANCE;
        double deviation = SvdCheck.deviationFromOrthogonal(r);
        if (!(deviation <= tolerance)) {
            throw new IllegalArgumentException(String.format("rotation of the group of %s is not orthogonal: max "
                    + "|R^T R - I| = %.3g, more than the %.0e accepted for %s; nothing was changed", group.writers(),
                    deviation, tolerance, r.dataType()));
        }
    }

    /**
     * Plans on copies (the edit returns the configuration to install), then installs atomically; measures the
     * output change when a probe is set.
     */
    private SurgeryReport apply(RotationGroup group, Function<GroupEdit, ComputationGraphConfiguration> operation,
                                SurgeryReport report) {
        INDArray[] before = probe == null ? null : outputs();
        GroupEdit edit = new GroupEdit(graph, group);
        ComputationGraphConfiguration configuration = operation.apply(edit);
        INDArray[] encoded = edit.encode(configuration);
        checkpoint.accept("planned");
        install(configuration, encoded[0], encoded[1]);
        if (before == null) {
            return report;
        }
        INDArray[] after = outputs();
        double change = 0.0;
        for (int i = 0; i < before.length; i++) {
            change = Math.max(change, before[i].sub(after[i]).amaxNumber().doubleValue());
        }
        return report.withMaxOutputChange(change);
    }

    private INDArray[] outputs() {
        INDArray[] outputs = graph.output(false, probe);
        INDArray[] copies = new INDArray[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            copies[i] = outputs[i].dup();
        }
        return copies;
    }

    /** Installs the planned arrays; on any failure restores the snapshot taken first and rethrows. */
    private void install(ComputationGraphConfiguration configuration, INDArray parameters, INDArray updaterState) {
        boolean sameShape = graph.params().length() == parameters.length()
                && graph.getConfiguration().equals(configuration);
        ComputationGraphConfiguration oldConfiguration = graph.getConfiguration().clone();
        // A rebuild gives the graph new arrays and leaves the old ones untouched, so they are the snapshot itself;
        // an install into the same shapes overwrites them, so it needs copies.
        INDArray oldParameters = sameShape ? graph.params().dup() : graph.params();
        INDArray state = updaterState == null ? null : graph.getUpdater().getStateViewArray();
        INDArray oldState = state == null ? null : sameShape ? state.dup() : state;
        try {
            if (sameShape) {
                graph.setParams(parameters);
                // computed for the parameters just replaced; a rebuild drops it too
                graph.setGradient(null);
                checkpoint.accept("parameters");
                if (updaterState != null) {
                    graph.getUpdater().getStateViewArray().assign(updaterState);
                }
            } else {
                ComputationGraphRebuilder.rebuild(graph, configuration, parameters, null);
                checkpoint.accept("parameters");
                if (updaterState != null) {
                    graph.getUpdater().setStateViewArray(updaterState);
                }
            }
            checkpoint.accept("installed");
        } catch (RuntimeException | Error e) {
            restore(e, oldConfiguration, oldParameters, oldState);
            throw e;
        }
    }

    /** Puts the snapshot back after a failed install; a failure here is attached to the install's failure. */
    private void restore(Throwable failure, ComputationGraphConfiguration configuration, INDArray parameters,
                         INDArray state) {
        try {
            checkpoint.accept("rollback");
            ComputationGraphRebuilder.rebuild(graph, configuration, parameters, state);
        } catch (RuntimeException | Error rollbackFailure) {
            failure.addSuppressed(new IllegalStateException("restoring the graph after a failed surgery also failed; "
                    + "its configuration, parameters and updater state are now undefined: discard it and reload a "
                    + "saved copy", rollbackFailure));
        }
    }
}
