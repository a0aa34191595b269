/**
 * Predicting a candidate's inference latency from its architecture before it is trained, in the style of nn-Meter
 * (Zhang et al., MobiSys 2021): a network is a set of kernels ({@link io.galapagos.worker.network.KernelProfile}),
 * each kind of kernel has a cost fitted from the latencies the executors measure ({@link
 * io.galapagos.driver.latency.LatencyModel}), and a network's predicted latency is the sum of its kernels' costs.
 */
package io.galapagos.driver.latency;
