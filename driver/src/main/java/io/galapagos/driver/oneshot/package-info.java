/**
 * Weight-sharing searches on the driver, each a job of phases that drive the executors' supernets:
 * {@link io.galapagos.driver.oneshot.OneShotJob} (one-shot and few-shot NAS: supernet training, search on shared
 * weights, retraining; {@code io.galapagos.worker.supernet}) and {@link io.galapagos.driver.oneshot.DartsJob}
 * (gradient-based search, a seed a Spark task an epoch, then retraining; {@code io.galapagos.worker.darts}). Their
 * phases of ordinary trials run through {@link io.galapagos.driver.oneshot.PhaseStudy}, journaled with their phase,
 * and a resumed session answers from what the journal holds ({@link io.galapagos.driver.oneshot.EarlierResults}).
 */
package io.galapagos.driver.oneshot;
