package org.dl4jisotropic.core.adapt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import org.dl4jisotropic.core.surgery.Diagonalizer;
import org.dl4jisotropic.core.surgery.ErrorBound;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.Neurodegeneration;
import org.dl4jisotropic.core.surgery.Neurogenesis;
import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.dl4jisotropic.core.surgery.SurgeryOperation;
import org.dl4jisotropic.core.surgery.SurgeryReport;

/**
 * One round of adaptive width on an {@link IsotropicStack}: for each adapting hidden layer, from the last to the
 * first, left-diagonalize it, count its scaffolds (singular value &lt;= tau, rank-surplus neurons included) and grow or
 * shrink it as its {@link ScaffoldPolicy} says. Going from the last layer down means each removal's psi update lands
 * on a layer that has already been processed in this round.
 */
public final class AdaptationRound {

    private AdaptationRound() {
    }

    /**
     * Runs one round.
     *
     * @param stack    the network. Modified.
     * @param policies policy per hidden layer index; layers not listed are left alone
     * @param seed     seed of this round's scaffold weights (layer l uses a seed derived from it and l)
     * @return one report per adapting layer, last layer first: GROW, SHRINK, or DIAGONALIZE_LEFT when the width
     *     stays
     */
    public static List<SurgeryReport> run(IsotropicStack stack, Map<Integer, ScaffoldPolicy> policies, long seed) {
        List<SurgeryReport> reports = new ArrayList<>();
        for (Map.Entry<Integer, ScaffoldPolicy> entry : new TreeMap<>(policies).descendingMap().entrySet()) {
            int layer = entry.getKey();
            ScaffoldPolicy policy = entry.getValue();
            long width = stack.layer(layer).width();
            SingularSpectrum spectrum = Diagonalizer.diagonalizeLeft(stack, layer);
            int scaffolds = spectrum.countAtMost(policy.threshold());
            int change = policy.widthChange(Math.toIntExact(width), scaffolds);
            if (change > 0) {
                reports.add(Neurogenesis.grow(stack, layer, change, seed * 31 + layer));
            } else if (change < 0) {
                OptionalDouble bound = ErrorBound.universalInputNormBound(stack, layer);
                reports.add(Neurodegeneration.shrinkDiagonalized(stack, layer, -change, spectrum, bound));
            } else {
                reports.add(SurgeryReport.exact(layer, SurgeryOperation.DIAGONALIZE_LEFT, 0, width, width));
            }
        }
        return reports;
    }
}
