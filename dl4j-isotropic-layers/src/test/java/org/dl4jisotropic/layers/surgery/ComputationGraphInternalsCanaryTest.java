package org.dl4jisotropic.layers.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * Canary for the DL4J internals that in-place graph surgery depends on ({@link ComputationGraphRebuilder}): every
 * declared instance field of {@code ComputationGraph}, by name and type, and whether a rebuild resets or keeps it. A
 * DL4J upgrade that adds, removes, renames or retypes a field fails here, in one place, before it can silently leave
 * stale state in a resized graph. On a failure: read the new {@code ComputationGraph} source, decide for each changed
 * field whether a rebuild must reset it, update {@link ComputationGraphRebuilder.Internal}, the table below, and the
 * pinned version.
 */
class ComputationGraphInternalsCanaryTest {

    /** What a rebuild does with a field. */
    private enum Role {
        /** Written by reflection ({@link ComputationGraphRebuilder.Internal}). */
        RESET_BY_REFLECTION,
        /** Reset through a public setter. */
        RESET_BY_SETTER,
        /** Deliberately kept: it does not depend on the layer sizes. */
        KEPT
    }

    /**
     * Every instance field of {@code ComputationGraph} in DL4J 1.0.0-M2.1 (from {@code javap -p}), its generic type,
     * and its role; the comment says why.
     */
    private static final Map<String, Map.Entry<String, Role>> FIELDS = Map.ofEntries(
            field("configuration", "org.deeplearning4j.nn.conf.ComputationGraphConfiguration",
                    Role.RESET_BY_REFLECTION),
            field("initCalled", "boolean", Role.RESET_BY_REFLECTION),
            field("solver", "org.deeplearning4j.optimize.Solver", Role.RESET_BY_REFLECTION),
            field("flattenedParams", "org.nd4j.linalg.api.ndarray.INDArray", Role.RESET_BY_REFLECTION),
            field("flattenedGradients", "org.nd4j.linalg.api.ndarray.INDArray", Role.RESET_BY_REFLECTION),
            field("gradient", "org.deeplearning4j.nn.gradient.Gradient", Role.RESET_BY_SETTER),
            // the last computed score: listeners after a resizing one in the same iteration still read it
            field("score", "double", Role.KEPT),
            // in M2.1 only read and written by its own getter and setter
            field("initDone", "boolean", Role.KEPT),
            // a truncated-BPTT option
            field("clearTbpttState", "boolean", Role.KEPT),
            // scratch memory of native layer helpers, looked up by name and grown by the helpers on demand
            field("helperWorkspaces", "java.util.Map<java.lang.String, org.bytedeco.javacpp.Pointer>", Role.KEPT),
            // the thread that holds the graph during parallel inference; nothing to do with sizes
            field("occupiedBy", "java.util.concurrent.atomic.AtomicLong", Role.KEPT),
            // workspace configurations, independent of the layer sizes
            field("WS_LAYER_WORKING_MEM_CONFIG", "org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration",
                    Role.KEPT),
            field("WS_LAYER_ACT_X_CONFIG", "org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration", Role.KEPT),
            // a timing statistic
            field("lastEtlTime", "java.lang.ThreadLocal<java.lang.Long>", Role.KEPT),
            field("vertices", "org.deeplearning4j.nn.graph.vertex.GraphVertex[]", Role.RESET_BY_REFLECTION),
            field("verticesMap", "java.util.Map<java.lang.String, org.deeplearning4j.nn.graph.vertex.GraphVertex>",
                    Role.RESET_BY_REFLECTION),
            // the topology's order and indices (cached): a rebuild requires the same vertices and inputs
            field("topologicalOrder", "int[]", Role.KEPT),
            field("graphIndices", "org.deeplearning4j.nn.graph.util.GraphIndices", Role.KEPT),
            field("layers", "org.deeplearning4j.nn.api.Layer[]", Role.RESET_BY_REFLECTION),
            // counts of network inputs and outputs, unchanged by the same topology
            field("numInputArrays", "int", Role.KEPT),
            field("numOutputArrays", "int", Role.KEPT),
            // the user's last batch and its masks: their shapes depend on the input and output sizes only, which
            // surgery never changes
            field("inputs", "org.nd4j.linalg.api.ndarray.INDArray[]", Role.KEPT),
            field("labels", "org.nd4j.linalg.api.ndarray.INDArray[]", Role.KEPT),
            field("inputMaskArrays", "org.nd4j.linalg.api.ndarray.INDArray[]", Role.KEPT),
            field("labelMaskArrays", "org.nd4j.linalg.api.ndarray.INDArray[]", Role.KEPT),
            // indices of the output layers among the vertices (cached): the same topology keeps them
            field("outputLayerIdxs", "int[]", Role.KEPT),
            // the constructor's clone of the global defaults, which surgery never changes
            field("defaultConfiguration", "org.deeplearning4j.nn.conf.NeuralNetConfiguration", Role.KEPT),
            // the user's listeners; init hands them to the new layers and the new solver
            field("trainingListeners",
                    "java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener>", Role.KEPT));

    private static Map.Entry<String, Map.Entry<String, Role>> field(String name, String type, Role role) {
        return Map.entry(name, Map.entry(type, role));
    }

    @Test
    void theDl4jOnTheClasspathIsTheVersionTheInternalsArePinnedTo() throws IOException {
        assertEquals(ComputationGraphRebuilder.PINNED_DL4J_VERSION, MultiLayerNetworkInternalsCanaryTest.mavenVersion(
                        "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties"),
                "deeplearning4j-nn changed version: check this canary, then update the pinned version");
    }

    @Test
    void everyInstanceFieldOfComputationGraphIsKnownByNameAndType() {
        Map<String, String> actual = Arrays.stream(ComputationGraph.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .collect(Collectors.toMap(Field::getName, f -> f.getGenericType().getTypeName(), (a, b) -> a,
                        TreeMap::new));
        Map<String, String> expected = new TreeMap<>();
        FIELDS.forEach((name, typeAndRole) -> expected.put(name, typeAndRole.getKey()));

        assertEquals(expected, actual, "ComputationGraph's fields differ from DL4J "
                + ComputationGraphRebuilder.PINNED_DL4J_VERSION + ": decide for each changed field whether a rebuild "
                + "resets it");
    }

    @Test
    void theRebuildResetsByReflectionExactlyTheFieldsMarkedSo() {
        Map<String, String> marked = new TreeMap<>();
        FIELDS.forEach((name, typeAndRole) -> {
            if (typeAndRole.getValue() == Role.RESET_BY_REFLECTION) {
                marked.put(name, typeAndRole.getKey().replaceAll("<.*>", ""));
            }
        });
        Map<String, String> written = new TreeMap<>();
        for (ComputationGraphRebuilder.Internal internal : ComputationGraphRebuilder.Internal.values()) {
            written.put(internal.fieldName(), internal.type().getTypeName());
        }

        assertEquals(marked, written);
    }

    @Test
    void everyFieldTheRebuildWritesResolvesToAWritableInstanceFieldOfItsType() {
        Map<ComputationGraphRebuilder.Internal, Field> fields = ComputationGraphRebuilder.resolve();

        for (ComputationGraphRebuilder.Internal internal : ComputationGraphRebuilder.Internal.values()) {
            Field field = fields.get(internal);
            assertNotNull(field, internal.fieldName());
            assertEquals(internal.fieldName(), field.getName());
            assertEquals(internal.type(), field.getType(), internal.fieldName());
            assertEquals(0, field.getModifiers() & (Modifier.STATIC | Modifier.FINAL), internal.fieldName());
        }
    }
}
