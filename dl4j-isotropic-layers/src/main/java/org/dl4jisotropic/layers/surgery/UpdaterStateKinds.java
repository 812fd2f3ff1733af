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
 *   updater      components in view order (DL4J state key, kind)    pinned to DL4J 1.0.0-M2.1
 *   Sgd, NoOp    (none)
 *   Nesterovs    V velocity LINEAR
 *   Adam, Nadam  M LINEAR, V SQUARED
 *   AMSGrad      M LINEAR, V SQUARED, V_HAT SQUARED
 *   AdaMax       M LINEAR, V MAGNITUDE            (DL4J's "V" is u = max(beta2 u, |g|))
 *   RmsProp      G SQUARED                        (running mean of g^2)
 * </pre>
 * With SGD and momentum training is exactly equivariant under surgery; with the adaptive updaters the second
 * moments are carried by their diagonal approximation (Adam is not rotation-invariant).
 *
 * @implNote This table is DL4J-internal knowledge, pinned to DL4J {@value #PINNED_DL4J_VERSION}: DL4J documents
 *     neither the order in which a {@code GradientUpdater} splits its state view nor what each part holds. Swapping
 *     two entries would silently carry Adam's first moment as its second. {@code UpdaterStateCanaryTest} checks the
 *     table against DL4J itself (state size per parameter, and each key's place in a real updater block), so an
 *     upgrade that changes a layout fails there.
 */
public final class UpdaterStateKinds {

    /** The DL4J release whose updater state layouts the table above describes. */
    public static final String PINNED_DL4J_VERSION = "1.0.0-M2.1";

    /** Names of the supported updaters, for error messages. */
    public static final String SUPPORTED = "Sgd, NoOp, Nesterovs, Adam, Nadam, AMSGrad, AdaMax, RmsProp";

    /**
     * One state component of an updater.
     *
     * @param key  the name DL4J's {@code GradientUpdater.getState()} gives it
     * @param kind how it follows a change of basis
     */
    record Component(String key, MomentKind kind) {
    }

    private static final List<Component> NONE = List.of();
    private static final List<Component> NESTEROVS = List.of(new Component("V", MomentKind.LINEAR));
    private static final List<Component> ADAM = List.of(new Component("M", MomentKind.LINEAR),
            new Component("V", MomentKind.SQUARED));
    private static final List<Component> AMSGRAD = List.of(new Component("M", MomentKind.LINEAR),
            new Component("V", MomentKind.SQUARED), new Component("V_HAT", MomentKind.SQUARED));
    private static final List<Component> ADAMAX = List.of(new Component("M", MomentKind.LINEAR),
            new Component("V", MomentKind.MAGNITUDE));
    private static final List<Component> RMSPROP = List.of(new Component("G", MomentKind.SQUARED));

    private UpdaterStateKinds() {
    }

    /**
     * The state components of an updater.
     *
     * @param updater the updater configuration
     * @param where   the parameter it updates, for the error message
     * @return the kinds, one per component, in DL4J's view order
     * @throws UnsupportedUpdaterException for any other updater
     */
    public static List<MomentKind> of(IUpdater updater, String where) {
        return components(updater, where).stream().map(Component::kind).toList();
    }

    /**
     * The state components of an updater with DL4J's names for them, in DL4J's view order.
     *
     * @throws UnsupportedUpdaterException for an updater not in the table
     */
    static List<Component> components(IUpdater updater, String where) {
        // Each config class implements IUpdater directly (none extends another in M2.1), so the order of the tests
        // only matters for user subclasses.
        if (updater instanceof Sgd || updater instanceof NoOp) {
            return NONE;
        }
        if (updater instanceof Nesterovs) {
            return NESTEROVS;
        }
        if (updater instanceof AMSGrad) {
            return AMSGRAD;
        }
        if (updater instanceof Adam || updater instanceof Nadam) {
            return ADAM;
        }
        if (updater instanceof AdaMax) {
            return ADAMAX;
        }
        if (updater instanceof RmsProp) {
            return RMSPROP;
        }
        throw new UnsupportedUpdaterException("updater of " + where + " must be one of " + SUPPORTED + ", found "
                + (updater == null ? "null" : updater.getClass().getSimpleName())
                + ": its state cannot be carried through surgery, and resetting it silently would damage training");
    }
}
