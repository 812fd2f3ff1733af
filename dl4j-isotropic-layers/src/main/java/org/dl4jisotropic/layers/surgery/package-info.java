/**
 * Network surgery on DL4J MultiLayerNetworks: {@link org.dl4jisotropic.layers.surgery.NetworkSurgeon} (rotate,
 * diagonalize, grow, shrink, inspect; in place and all-or-nothing, updater state carried) and
 * {@link org.dl4jisotropic.layers.surgery.Sparsifier} (alternating full diagonalization stored with one weight per
 * connection). The maths is in {@code org.dl4jisotropic.core.surgery}; this package only maps DL4J's flat parameter
 * and updater-state layouts onto it and installs the result.
 *
 * <p>ComputationGraph groundwork: {@link org.dl4jisotropic.layers.surgery.GraphRotationGroups} splits a graph's
 * channels into {@link org.dl4jisotropic.layers.surgery.RotationGroup}s (writers plus every
 * {@link org.dl4jisotropic.layers.surgery.ConsumerBlock} that must rotate with them, through merges, fan-out and
 * residual streams), refusing by name any vertex that breaks the symmetry; {@code GraphConfigurationResizer} resizes
 * a group in a configuration (preprocessors included) and {@code ComputationGraphRebuilder} installs the result in
 * place. {@link org.dl4jisotropic.layers.surgery.GraphSurgeon} puts them together: rotate, left-diagonalize and grow
 * a group exactly, in place and all-or-nothing, updater state carried (no removal on graphs yet).
 *
 * <h2>DL4J internals used here, pinned to DL4J 1.0.0-M2.1</h2>
 * Surgery changes a network in place, so that the object a user (or {@code fit}, when a listener resizes during
 * training) holds keeps working. DL4J 1.0.0-M2.1 has no public API for that, so this package relies on two kinds
 * of internals:
 * <ul>
 *   <li><b>Protected fields of {@code MultiLayerNetwork}</b>, reset by reflection in {@code NetworkRebuilder}
 *       ({@code layerWiseConfigurations}, {@code defaultConfiguration}, {@code layers}, {@code layerMap},
 *       {@code flattenedParams}, {@code flattenedGradients}, {@code solver}, {@code initCalled}). Why: {@code init()}
 *       returns at once on an initialized network and {@code setParams} cannot change lengths, so a resize must
 *       clear these before the public {@code init(params, false)} rebuilds layers, solver and updater.</li>
 *   <li><b>Protected fields of {@code ComputationGraph}</b>, reset by reflection in
 *       {@code ComputationGraphRebuilder} ({@code configuration}, {@code vertices}, {@code verticesMap},
 *       {@code layers}, {@code flattenedParams}, {@code flattenedGradients}, {@code solver}, {@code initCalled}), for
 *       the same reason; the updater state is then set with the one-argument {@code setStateViewArray}.</li>
 *   <li><b>The updater state layout</b>, read in {@code UpdaterStateView} and {@code UpdaterStateKinds}: each updater
 *       block's state is split into contiguous components in a fixed order per updater (Adam {@code [M | V]},
 *       AMSGrad {@code [M | V | V_HAT]}, ...). Why: the optimizer state must follow each parameter through a change
 *       of basis or size, and DL4J exposes the state only as one flat array.</li>
 * </ul>
 * They are checked in one place each, the canary tests {@code MultiLayerNetworkInternalsCanaryTest} and
 * {@code ComputationGraphInternalsCanaryTest} (every declared field of the network class, by name and type, and
 * whether a rebuild resets or keeps it) and
 * {@code UpdaterStateCanaryTest} (state size and component order of every supported updater, against DL4J itself).
 * After a DL4J upgrade, run them first: a failure there names what changed.
 */
package org.dl4jisotropic.layers.surgery;
