/**
 * Weight-sharing searches on the driver: the phases that drive the executors' supernets
 * ({@code io.galapagos.worker.supernet}). So far, the first: {@link io.galapagos.driver.oneshot.SupernetTraining}
 * trains every part of a one-shot or few-shot supernet as one Spark task each, at once.
 */
package io.galapagos.driver.oneshot;
