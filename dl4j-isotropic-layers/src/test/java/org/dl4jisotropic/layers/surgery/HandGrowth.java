package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.iter.NdIndexIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test code: grows one rotation group of a graph by one channel by hand (method.md section 5). The new channel gets
 * zero incoming weights and bias, so it outputs exactly 0 and the function is unchanged; every consumer gets small
 * random outgoing weights ({@value #SCAFFOLD_SCALE} N(0,1)) so that it can learn, and zero updater state. Old values
 * are copied element by element to their new indices; the configuration comes from the resizer under test, the
 * rebuild from {@link ComputationGraphRebuilder}.
 */
final class HandGrowth {

    static final double SCAFFOLD_SCALE = 0.01;

    private HandGrowth() {
    }

    /** Grows the group written by {@code writer} by one channel, appended at the end of the group's block. */
    static void growByOne(ComputationGraph graph, String writer, long seed) {
        RotationGroup group = GraphRotationGroups.of(graph.getConfiguration()).stream()
                .filter(g -> g.writers().contains(writer)).findFirst().orElseThrow();
        ComputationGraphConfiguration grown = GraphConfigurationResizer.resized(graph.getConfiguration(), group,
                group.width() + 1);
        ComputationGraph scratch = new ComputationGraph(grown.clone());
        scratch.init();

        UpdaterStateView oldView = UpdaterStateView.of(graph);
        UpdaterStateView newView = UpdaterStateView.of(scratch);
        INDArray oldState = graph.getUpdater().getStateViewArray();
        INDArray newState = scratch.getUpdater().getStateViewArray().assign(0.0);
        for (String key : scratch.paramTable().keySet()) {
            INDArray oldParam = graph.getParam(key);
            INDArray newParam = scratch.getParam(key);
            LongUnaryOperator[] map = indexMap(group, key, oldParam.rank());
            INDArray fresh = embed(oldParam.dup(), newParam.shape(), map);
            fillScaffold(group, key, fresh, seed);
            newParam.assign(fresh);
            if (!oldView.kinds(key).isEmpty()) {
                List<INDArray> components = oldView.read(oldState, key).stream().map(c -> Nd4j.toFlattened(
                        oldParam.ordering(), embed(c.dup().reshape(oldParam.ordering(), oldParam.shape()),
                                newParam.shape(), map))).toList();
                newView.write(newState, key, components);
            }
        }
        ComputationGraphRebuilder.rebuild(graph, grown, scratch.params().dup(), newState.dup());
    }

    /** Per axis, where an old index goes: the group's new channel is inserted at the end of each consumer block. */
    private static LongUnaryOperator[] indexMap(RotationGroup group, String key, int rank) {
        LongUnaryOperator[] map = new LongUnaryOperator[rank];
        Arrays.fill(map, LongUnaryOperator.identity());
        for (ConsumerBlock block : group.consumers()) {
            if (!key.equals(block.consumer() + "_W")) {
                continue;
            }
            long insertAt = block.offset() + block.width();
            long k = block.multiplicity();
            switch (block.layout()) {
                case CONVOLUTION -> map[1] = c -> c < insertAt ? c : c + 1;
                case FEATURES -> map[0] = r -> r < insertAt ? r : r + 1;
                case FLATTENED_CHANNELS_FIRST -> map[0] = r -> (r / k < insertAt ? r / k : r / k + 1) * k + r % k;
                default -> throw new IllegalStateException("not needed by the tests: " + block.layout());
            }
        }
        return map;
    }

    private static void fillScaffold(RotationGroup group, String key, INDArray fresh, long seed) {
        for (ConsumerBlock block : group.consumers()) {
            if (!key.equals(block.consumer() + "_W")) {
                continue;
            }
            long channel = block.offset() + block.width();
            long k = block.multiplicity();
            NdIndexIterator it = new NdIndexIterator(fresh.shape());
            INDArray noise = gaussian(seed, DataType.DOUBLE, fresh.length()).muli(SCAFFOLD_SCALE);
            long n = 0;
            while (it.hasNext()) {
                long[] index = it.next();
                boolean isNew = switch (block.layout()) {
                    case CONVOLUTION -> index[1] == channel;
                    case FEATURES -> index[0] == channel;
                    case FLATTENED_CHANNELS_FIRST -> index[0] / k == channel;
                    default -> false;
                };
                if (isNew) {
                    fresh.putScalar(index, noise.getDouble(n));
                }
                n++;
            }
        }
    }

    /** An array of the new shape, zero except for the old values at their mapped indices. */
    private static INDArray embed(INDArray old, long[] shape, LongUnaryOperator[] map) {
        INDArray fresh = Nd4j.zeros(DataType.DOUBLE, shape);
        NdIndexIterator it = new NdIndexIterator(old.shape());
        while (it.hasNext()) {
            long[] index = it.next();
            long[] target = new long[index.length];
            for (int d = 0; d < index.length; d++) {
                target[d] = map[d].applyAsLong(index[d]);
            }
            fresh.putScalar(target, old.getDouble(index));
        }
        return fresh;
    }
}
