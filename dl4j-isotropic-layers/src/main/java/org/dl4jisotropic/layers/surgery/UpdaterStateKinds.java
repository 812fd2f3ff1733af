package org.dl4jisotropic.layers.surgery;

import java.util.List;

import org.dl4jisotropic.core.surgery.MomentKind;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The state components of each supported DL4J updater, in the order DL4J lays them out in an updater block
 * ({@code [component 0 for every parameter of the block | component 1 ... ]}), and how each follows surgery.
 *
 * <pre>
 *   Sgd, NoOp    (none)
 *   Nesterovs    velocity v                   LINEAR
 *   Adam, Nadam  m LINEAR, v SQUARED
 *   AMSGrad      m LINEAR, v SQUARED, v_hat SQUARED
 *   AdaMax       m LINEAR, u MAGNITUDE        (u = max(beta2 u, |g|))
 *   RmsProp      running mean of g^2          SQUARED
 * </pre>
 * With SGD and momentum training is exactly equivariant under surgery; with the adaptive updaters the second
 * moments are carried by their diagonal approximation (Adam is not rotation-invariant).
 */
public final class UpdaterStateKinds {

    /** Names of the supported updaters, for error messages. */
    public static final String SUPPORTED = "Sgd, NoOp, Nesterovs, Adam, Nadam, AMSGrad, AdaMax, RmsProp";

    private UpdaterStateKinds() {
    }

    /**
     * The state components of an updater.
     *
     * @param updater the updater configuration
     * @param where   the parameter it updates, for the error message
     * @return the kinds, one per component
     * @throws UnsupportedUpdaterException for any other updater
     */
    public static List<MomentKind> of(IUpdater updater, String where) {
        if (updater instanceof Sgd || updater instanceof NoOp) {
            return List.of();
        }
        if (updater instanceof Nesterovs) {
            return List.of(MomentKind.LINEAR);
        }
        if (updater instanceof AMSGrad) {
            return List.of(MomentKind.LINEAR, MomentKind.SQUARED, MomentKind.SQUARED);
        }
        if (updater instanceof Adam || updater instanceof Nadam) {
            return List.of(MomentKind.LINEAR, MomentKind.SQUARED);
        }
        if (updater instanceof AdaMax) {
            return List.of(MomentKind.LINEAR, MomentKind.MAGNITUDE);
        }
        if (updater instanceof RmsProp) {
            return List.of(MomentKind.SQUARED);
        }
        throw new UnsupportedUpdaterException("updater of " + where + " must be one of " + SUPPORTED + ", found "
                + (updater == null ? "null" : updater.getClass().getSimpleName())
                + ": its state cannot be carried through surgery, and resetting it silently would damage training");
    }
}
