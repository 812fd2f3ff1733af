package org.dl4jisotropic.layers.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * Canary for the DL4J internals that in-place surgery depends on ({@link NetworkRebuilder}): every declared instance
 * field of {@code MultiLayerNetwork}, by name and type, and whether a rebuild resets or keeps it. A DL4J upgrade that
 * adds, removes, renames or retypes a field fails here, in one place, before it can silently leave stale state in a
 * resized network. On a failure: read the new {@code MultiLayerNetwork} source, decide for each changed field whether
 * a rebuild must reset it, update {@link NetworkRebuilder.Internal} and the table below, and the pinned version.
 */
class MultiLayerNetworkInternalsCanaryTest {

    /** What a rebuild does with a field. */
    private enum Role {
        /** Written by reflection ({@link NetworkRebuilder.Internal}). */
        RESET_BY_REFLECTION,
        /** Reset through a public setter. */
        RESET_BY_SETTER,
        /** Deliberately kept: it does not depend on the layer sizes. */
        KEPT
    }

    /**
     * Every instance field of {@code MultiLayerNetwork} in DL4J 1.0.0-M2.1 (from {@code javap -p}), its generic type,
     * and its role; the comment says why.
     */
    private static final Map<String, Map.Entry<String, Role>> FIELDS = Map.ofEntries(
            field("layers", "org.deeplearning4j.nn.api.Layer[]", Role.RESET_BY_REFLECTION),
            field("layerMap", "java.util.LinkedHashMap<java.lang.String, org.deeplearning4j.nn.api.Layer>",
                    Role.RESET_BY_REFLECTION),
            // the user's last batch and its masks: their shapes depend on the input and output sizes only, which
            // surgery never changes
            field("input", "org.nd4j.linalg.api.ndarray.INDArray", Role.KEPT),
            field("labels", "org.nd4j.linalg.api.ndarray.INDArray", Role.KEPT),
            field("mask", "org.nd4j.linalg.api.ndarray.INDArray", Role.KEPT),
            field("initCalled", "boolean", Role.RESET_BY_REFLECTION),
            // the user's listeners; init hands them to the new layers and the new solver
            field("trainingListeners",
                    "java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener>", Role.KEPT),
            field("defaultConfiguration", "org.deeplearning4j.nn.conf.NeuralNetConfiguration",
                    Role.RESET_BY_REFLECTION),
            field("layerWiseConfigurations", "org.deeplearning4j.nn.conf.MultiLayerConfiguration",
                    Role.RESET_BY_REFLECTION),
            field("gradient", "org.deeplearning4j.nn.gradient.Gradient", Role.RESET_BY_SETTER),
            // the last computed score: listeners after a resizing one in the same iteration still read it
            field("score", "double", Role.KEPT),
            // in M2.1 only read and written by its own getter and setter
            field("initDone", "boolean", Role.KEPT),
            field("flattenedParams", "org.nd4j.linalg.api.ndarray.INDArray", Role.RESET_BY_REFLECTION),
            field("flattenedGradients", "org.nd4j.linalg.api.ndarray.INDArray", Role.RESET_BY_REFLECTION),
            // a truncated-BPTT option, a timing statistic and the index of the network used as a layer
            field("clearTbpttState", "boolean", Role.KEPT),
            field("lastEtlTime", "java.lang.ThreadLocal<java.lang.Long>", Role.KEPT),
            field("layerIndex", "int", Role.KEPT),
            field("solver", "org.deeplearning4j.optimize.Solver", Role.RESET_BY_REFLECTION),
            // scratch memory of native layer helpers, looked up by name and grown by the helpers on demand
            field("helperWorkspaces", "java.util.Map<java.lang.String, org.bytedeco.javacpp.Pointer>", Role.KEPT),
            // sized in the constructor from the number of layers and input preprocessors, which a rebuild
            // requires to be unchanged
            field("WS_LAYER_WORKING_MEM_CONFIG", "org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration",
                    Role.KEPT),
            field("WS_LAYER_ACT_X_CONFIG", "org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration", Role.KEPT));

    private static Map.Entry<String, Map.Entry<String, Role>> field(String name, String type, Role role) {
        return Map.entry(name, Map.entry(type, role));
    }

    @Test
    void theDl4jOnTheClasspathIsTheVersionTheInternalsArePinnedTo() throws IOException {
        assertEquals(NetworkRebuilder.PINNED_DL4J_VERSION,
                mavenVersion("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties"),
                "deeplearning4j-nn changed version: check this canary and UpdaterStateCanaryTest, then update the "
                        + "pinned versions");
    }

    @Test
    void everyInstanceFieldOfMultiLayerNetworkIsKnownByNameAndType() {
        Map<String, String> actual = Arrays.stream(MultiLayerNetwork.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .collect(Collectors.toMap(Field::getName, f -> f.getGenericType().getTypeName(), (a, b) -> a,
                        TreeMap::new));
        Map<String, String> expected = new TreeMap<>();
        FIELDS.forEach((name, typeAndRole) -> expected.put(name, typeAndRole.getKey()));

        assertEquals(expected, actual, "MultiLayerNetwork's fields differ from DL4J "
                + NetworkRebuilder.PINNED_DL4J_VERSION + ": decide for each changed field whether a rebuild resets it");
    }

    @Test
    void theRebuildResetsByReflectionExactlyTheFieldsMarkedSo() {
        Map<String, String> marked = new TreeMap<>();
        FIELDS.forEach((name, typeAndRole) -> {
            if (typeAndRole.getValue() == Role.RESET_BY_REFLECTION) {
                marked.put(name, typeAndRole.getKey());
            }
        });
        Map<String, String> written = new TreeMap<>();
        for (NetworkRebuilder.Internal internal : NetworkRebuilder.Internal.values()) {
            written.put(internal.fieldName(), internal.type().getTypeName());
        }

        // the rebuilder records raw types; compare them with the raw part of the generic names above
        marked.replaceAll((name, type) -> type.replaceAll("<.*>", ""));
        assertEquals(marked, written);
    }

    @Test
    void everyFieldTheRebuildWritesResolvesToAWritableInstanceFieldOfItsType() {
        Map<NetworkRebuilder.Internal, Field> fields = NetworkRebuilder.resolve();

        for (NetworkRebuilder.Internal internal : NetworkRebuilder.Internal.values()) {
            Field field = fields.get(internal);
            assertNotNull(field, internal.fieldName());
            assertEquals(internal.fieldName(), field.getName());
            assertEquals(internal.type(), field.getType(), internal.fieldName());
            assertEquals(0, field.getModifiers() & (Modifier.STATIC | Modifier.FINAL), internal.fieldName());
        }
    }

    static String mavenVersion(String resource) throws IOException {
        try (InputStream in = MultiLayerNetworkInternalsCanaryTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "no " + resource + " on the classpath");
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
