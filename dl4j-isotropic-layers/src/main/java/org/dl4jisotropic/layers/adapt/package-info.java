/**
 * Adaptive topology during training: {@link org.dl4jisotropic.layers.adapt.NeuroadaptationListener} runs the scaffold
 * policy on a schedule inside {@code fit}, and reports {@link org.dl4jisotropic.layers.adapt.AdaptationEvent}s to
 * sinks such as {@link org.dl4jisotropic.layers.adapt.JsonLinesEventSink}. The decisions live in
 * {@code org.dl4jisotropic.core.adapt}, the surgery in {@code org.dl4jisotropic.layers.surgery}.
 */
package org.dl4jisotropic.layers.adapt;
