package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.layers.conf.Connectivity;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Every graph operation is all-or-nothing: a refused rotation, or a failure injected at any stage of the install, leaves
 * the parameters, the updater state and the configuration bit-identical to before; shrinking is refused before
 * anything changes.
 */
class GraphSurgeonAtomicityTest {

    /** A deviation from orthogonality a hundred times the float64 tolerance of 1e-10. */
    private static final double NON_ORTHOGONAL = 1e-8;

    private ComputationGraph graph;
    private INDArray parameters;
    private INDArray state;
    private String configuration;

    @BeforeEach
    void trainedDenseMerge() {
        graph = SurgeryGraphs.randomized(SurgeryGraphs.denseMerge(), 31L);
        GraphStateSnapshots.train(graph, SurgeryGraphs.features(4, 3), 2);
        parameters = graph.params().dup();
        state = graph.getUpdater().getStateViewArray().dup();
        configuration = graph.getConfiguration().toJson();
    }

    @Test
    void aNonOrthogonalRotationIsRefusedBeforeAnyChange() {
        INDArray r = randomOrthogonal(5L, 3, DataType.DOUBLE);
        r.putScalar(0, 0, r.getDouble(0, 0) + NON_ORTHOGONAL);

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> new GraphSurgeon(graph).rotate("a", r));

        assertTrue(refusal.getMessage().contains("not orthogonal"), refusal.getMessage());
        assertUnchanged();
    }

    @ParameterizedTest(name = "{0} failing at \"{1}\"")
    @CsvSource({"rotate, planned", "rotate, parameters", "rotate, installed", "grow, planned", "grow, parameters",
            "grow, installed", "diagonalize, parameters"})
    void aFailureDuringAnOperationLeavesTheGraphBitIdentical(String operation, String failingStage) {
        GraphSurgeon surgeon = new GraphSurgeon(graph).withCheckpoint(failAt(failingStage));

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> {
            switch (operation) {
                case "rotate" -> surgeon.rotate("a", randomOrthogonal(5L, 3, DataType.DOUBLE));
                case "grow" -> surgeon.grow("a", 2, 7L);
                default -> surgeon.diagonalizeLeft("b");
            }
        });

        assertEquals("injected at " + failingStage, failure.getMessage());
        assertEquals(0, failure.getSuppressed().length, "the rollback must succeed");
        assertUnchanged();
    }

    @Test
    void aRolledBackGraphIsTheSameObjectAndTrainsOn() {
        GraphSurgeon surgeon = new GraphSurgeon(graph).withCheckpoint(failAt("installed"));
        assertThrows(IllegalStateException.class, () -> surgeon.grow("b", 1, 7L));

        assertSame(graph, surgeon.graph());
        GraphStateSnapshots.train(graph, SurgeryGraphs.features(4, 3), 1);
        assertTrue(graph.params().sub(parameters).amaxNumber().doubleValue() > 0.0);
    }

    @Test
    void shrinkingIsRefusedAsNotImplementedBeforeAnyChange() {
        UnsupportedOperationException refusal = assertThrows(UnsupportedOperationException.class,
                () -> new GraphSurgeon(graph).shrink("a", 1));

        assertTrue(refusal.getMessage().contains("not implemented yet"), refusal.getMessage());
        assertUnchanged();
    }

    @Test
    void shrinkingAResidualStreamNamesWhyRemovalThereCannotBeExact() {
        ComputationGraph residual = SurgeryGraphs.randomized(SurgeryGraphs.residual(), 32L);

        UnsupportedOperationException refusal = assertThrows(UnsupportedOperationException.class,
                () -> new GraphSurgeon(residual).shrink("s0", 1));

        assertTrue(refusal.getMessage().contains("residual stream"), refusal.getMessage());
    }

    @Test
    void anUnknownWriterIsRefusedWithTheWritersThereAre() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> new GraphSurgeon(graph).grow("m", 1, 1L));

        assertTrue(refusal.getMessage().contains("\"m\"") && refusal.getMessage().contains("[a, b, h]"),
                refusal.getMessage());
        assertUnchanged();
    }

    @Test
    void aGraphWithADiagonalConsumerIsRefusedByNameBeforeAnyChange() {
        ComputationGraph diagonal = SurgeryGraphs.randomized(SurgeryGraphs.base(new Adam(1e-2)).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(SurgeryGraphs.FEATURES))
                .addLayer("h0", new IsotropicDenseLayer.Builder().nOut(SurgeryGraphs.FEATURES).build(), "in")
                .addLayer("h1", new IsotropicDenseLayer.Builder().nOut(SurgeryGraphs.FEATURES)
                        .connectivity(Connectivity.DIAGONAL).build(), "h0")
                .addLayer("out", SurgeryGraphs.output(), "h1")
                .setOutputs("out").build(), 33L);
        INDArray before = diagonal.params().dup();

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> new GraphSurgeon(diagonal).grow("h0", 1, 1L));

        assertTrue(refusal.getMessage().contains("\"h1\"") && refusal.getMessage().contains("DIAGONAL"),
                refusal.getMessage());
        assertEquals(before, diagonal.params());
    }

    private static Consumer<String> failAt(String failingStage) {
        return stage -> {
            if (stage.equals(failingStage)) {
                throw new IllegalStateException("injected at " + stage);
            }
        };
    }

    private void assertUnchanged() {
        assertEquals(configuration, graph.getConfiguration().toJson(), "configuration");
        assertEquals(parameters, graph.params(), "parameters");
        assertEquals(state, graph.getUpdater().getStateViewArray(), "updater state");
    }
}
