package org.dl4jisotropic.layers.adapt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryOperation;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * With a probe batch, every adaptation round inside {@code fit} carries a measured output change next to its bound, so
 * a faulty round shows in the events instead of passing silently.
 */
class AdaptationEvidenceTest {

    /** Output change of a growth-only round in float64 (method.md section 10). */
    private static final double EXACT = Tolerances.SURGERY_F64;

    @Test
    void everyRoundInsideFitReportsAMeasuredChangeWithinItsBound() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.DOUBLE);
        DataSet data = AdaptiveNetworks.data(DataType.DOUBLE, 128);
        List<AdaptationEvent> events = new ArrayList<>();
        // layer 1 only: a later layer's removals have a bound (the first layer's inputs are not norm-bounded)
        net.addListeners(NeuroadaptationListener.builder(net).layers(1).threshold(0.95).scaffoldBuffer(2)
                .widthRange(2, 40).probe(data.getFeatures()).eventSink(events::add).build());

        net.fit(new ViewIterator(data, 16), 4);

        assertFalse(events.isEmpty(), "no adaptation round ran");
        for (AdaptationEvent event : events) {
            assertTrue(event.report().maxOutputChange().isPresent(), () -> "no measured change in " + event);
            double measured = event.report().maxOutputChange().getAsDouble();
            double bound = event.report().errorBound().orElseThrow();
            double limit = event.operation() == SurgeryOperation.SHRINK ? bound : EXACT;
            assertTrue(measured <= limit, () -> event.operation() + ": measured " + measured + " above " + limit);
        }
        assertTrue(events.stream().anyMatch(e -> e.operation() == SurgeryOperation.SHRINK), events::toString);
    }
}
