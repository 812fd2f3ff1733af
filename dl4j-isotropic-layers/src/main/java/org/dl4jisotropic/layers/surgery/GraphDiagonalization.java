package org.dl4jisotropic.layers.surgery;

import java.util.Objects;

import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.dl4jisotropic.core.surgery.SurgeryReport;

/**
 * What {@link GraphSurgeon#diagonalizeLeft} did: the report of the rotation it installed, and the singular spectrum of
 * the group's stacked writer weights, one value per channel, descending (channel i of the group now carries the i-th
 * value: the stacked weights' columns are orthogonal with these norms).
 *
 * @param report   the operation's report (with the measured output change when a probe was set)
 * @param spectrum the singular values, one per channel of the group
 */
public record GraphDiagonalization(SurgeryReport report, SingularSpectrum spectrum) {

    /** Checks both are present. */
    public GraphDiagonalization {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(spectrum, "spectrum");
    }
}
