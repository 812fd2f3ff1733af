package org.dl4jisotropic.layers.surgery;

/**
 * Thrown before any change when a parameter's updater keeps state that surgery cannot carry through a change of
 * basis or a resize. Resetting such state silently would damage training, so the operation is refused instead.
 */
public final class UnsupportedUpdaterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the updater, the parameter and the supported updaters
     */
    public UnsupportedUpdaterException(String message) {
        super(message);
    }
}
