/**
 * The paper's experiments as rerunnable commands ({@code isotropic experiment NAME}): width sweep against adaptive
 * width, pruning compared with structured baselines, neuroabundance, sparsification against depth, and the
 * singular-value evolution of an adaptive run. Each experiment is one class; the shared pieces write its
 * {@link org.dl4jisotropic.examples.experiment.ResultTable}s as JSON, Markdown and PNG plots, with the machine and
 * the command that produced them.
 */
package org.dl4jisotropic.examples.experiment;
