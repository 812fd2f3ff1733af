package org.dl4jisotropic.layers.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * When an install fails and restoring the snapshot fails too, neither failure is lost: the install's failure is
 * thrown with the restore's attached as suppressed. Failures are injected through the package-private checkpoint
 * hook, whose "rollback" stage runs first thing in the restore.
 */
class NetworkSurgeonRollbackFailureTest {

    private static final String ROLLBACK = "rollback";

    /** Records the stages reached and throws the given failure at the given stages. */
    private static final class Faults implements Consumer<String> {
        private final List<String> reached = new ArrayList<>();
        private final String installStage;
        private final Throwable installFailure;
        private final Throwable rollbackFailure;

        Faults(String installStage, Throwable installFailure, Throwable rollbackFailure) {
            this.installStage = installStage;
            this.installFailure = installFailure;
            this.rollbackFailure = rollbackFailure;
        }

        @Override
        public void accept(String stage) {
            reached.add(stage);
            if (stage.equals(installStage)) {
                throwUnchecked(installFailure);
            }
            if (stage.equals(ROLLBACK) && rollbackFailure != null) {
                throwUnchecked(rollbackFailure);
            }
        }

        private static void throwUnchecked(Throwable t) {
            if (t instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) t;
        }
    }

    private static MultiLayerNetwork network() {
        return SurgeryNetworks.trained(DataType.FLOAT, new Adam(1e-2), 1);
    }

    private static void operate(NetworkSurgeon surgeon, String operation) {
        if (operation.equals("grow")) {
            surgeon.grow(1, 2, 1L);   // a resize: rebuilds the network
        } else {
            surgeon.diagonalizeAllLeft();   // same shapes: writes into the existing arrays
        }
    }

    @ParameterizedTest(name = "{0} failing at {1}")
    @CsvSource({"grow, parameters", "grow, installed", "diagonalize, parameters", "diagonalize, installed"})
    void aFailedRollbackIsAttachedToTheInstallFailureAsSuppressed(String operation, String stage) {
        RuntimeException install = new IllegalStateException("injected install failure");
        RuntimeException rollback = new IllegalStateException("injected rollback failure");
        NetworkSurgeon surgeon = new NetworkSurgeon(network()).withCheckpoint(new Faults(stage, install, rollback));

        Throwable thrown = assertThrows(Throwable.class, () -> operate(surgeon, operation));

        assertSame(install, thrown, "the install's failure is what the caller sees");
        assertEquals(1, thrown.getSuppressed().length);
        Throwable suppressed = thrown.getSuppressed()[0];
        assertInstanceOf(IllegalStateException.class, suppressed);
        assertTrue(suppressed.getMessage().contains("discard it"), suppressed.getMessage());
        assertSame(rollback, suppressed.getCause());
    }

    @Test
    void anErrorThrownByTheRollbackIsAttachedNotThrown() {
        RuntimeException install = new IllegalStateException("injected install failure");
        Error rollback = new OutOfMemoryError("injected rollback failure");
        NetworkSurgeon surgeon = new NetworkSurgeon(network())
                .withCheckpoint(new Faults("installed", install, rollback));

        Throwable thrown = assertThrows(Throwable.class, () -> operate(surgeon, "grow"));

        assertSame(install, thrown);
        assertSame(rollback, thrown.getSuppressed()[0].getCause());
    }

    @Test
    void anErrorDuringTheInstallIsRethrownWithTheRollbackFailureAttached() {
        Error install = new OutOfMemoryError("injected install failure");
        RuntimeException rollback = new IllegalStateException("injected rollback failure");
        NetworkSurgeon surgeon = new NetworkSurgeon(network())
                .withCheckpoint(new Faults("parameters", install, rollback));

        Throwable thrown = assertThrows(Throwable.class, () -> operate(surgeon, "grow"));

        assertSame(install, thrown);
        assertSame(rollback, thrown.getSuppressed()[0].getCause());
    }

    @Test
    void aSuccessfulRollbackRunsOnceAndAttachesNothing() {
        RuntimeException install = new IllegalStateException("injected install failure");
        Faults faults = new Faults("installed", install, null);
        MultiLayerNetwork net = network();
        String configuration = net.getLayerWiseConfigurations().toJson();

        Throwable thrown = assertThrows(Throwable.class, () -> operate(new NetworkSurgeon(net)
                .withCheckpoint(faults), "grow"));

        assertSame(install, thrown);
        assertEquals(0, thrown.getSuppressed().length);
        assertEquals(List.of("encoded", "parameters", "installed", ROLLBACK), faults.reached);
        assertEquals(configuration, net.getLayerWiseConfigurations().toJson(), "restored");
    }

    @Test
    void aFailureInsideTheOperationNeedsNoRollback() {
        // e.g. a check inside the maths failing: nothing has been installed yet, so there is nothing to restore
        Faults faults = new Faults("none", null, new IllegalStateException("the rollback must not run"));
        MultiLayerNetwork net = network();
        String configuration = net.getLayerWiseConfigurations().toJson();

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSurgeon(net).withCheckpoint(faults).grow(1, 0, 1L));

        assertEquals(0, thrown.getSuppressed().length);
        assertEquals(List.of(), faults.reached);
        assertEquals(configuration, net.getLayerWiseConfigurations().toJson());
    }
}
