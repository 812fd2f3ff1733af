/**
 * The training harness shared by the CLI and the notebooks: configuration, model construction, task schedules and
 * the epoch loop with progress output. It orchestrates; the maths lives in the core and layers modules.
 */
package org.dl4jisotropic.examples.train;
