package io.galapagos.worker.training;

import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.OptionalInt;

/**
 * Points ND4J's CUDA backend at the GPU Spark assigned to the running task, so that a trial trains on its
 * own device rather than on whichever device ND4J's round-robin gave the task's (pooled) thread.
 *
 * <p>The device is the first assigned address read as a CUDA device ordinal ({@code "1"} is device 1): the
 * addresses are what the discovery script printed, and Spark's example script prints
 * {@code nvidia-smi}'s indices, which are CUDA's ordinals unless {@code CUDA_VISIBLE_DEVICES} renumbers
 * them. The calling thread is bound with {@link AffinityManager#unsafeSetDevice(Integer)} (ND4J
 * 1.0.0-M2.1: {@code cudaSetDevice} for the thread, and its cached CUDA context dropped), before the trial
 * allocates anything on that thread. On the CPU backend, with no addresses, or with an address that is no
 * device ND4J sees, nothing is bound (the last two with a warning). Each thread logs the device it binds
 * once, and again only when a later task of the same thread gets another device.
 *
 * <p>Thread-safe: the binding belongs to the calling thread.
 */
public final class GpuAffinity {

    private static final Logger LOG = LoggerFactory.getLogger(GpuAffinity.class);
    /** The device this thread last logged binding to. */
    private static final ThreadLocal<Integer> LOGGED = new ThreadLocal<>();

    private GpuAffinity() {
    }

    /**
     * Binds the calling thread to the device of the first of {@code addresses}, on the CUDA backend.
     *
     * @return the device bound, or empty when nothing was bound
     */
    public static OptionalInt bind(List<String> addresses) {
        if (addresses == null || addresses.isEmpty() || Nd4j.getEnvironment().isCPU()) {
            return OptionalInt.empty();
        }
        AffinityManager affinity = Nd4j.getAffinityManager();
        int devices = affinity.getNumberOfDevices();
        OptionalInt device = device(addresses.get(0), devices);
        if (device.isEmpty()) {
            LOG.warn("Spark assigned GPU address(es) {} but '{}' is not one of ND4J's {} CUDA device(s) 0..{}; "
                    + "thread {} keeps device {}", addresses, addresses.get(0), devices, devices - 1,
                    Thread.currentThread().getName(), affinity.getDeviceForCurrentThread());
            return OptionalInt.empty();
        }
        int d = device.getAsInt();
        affinity.unsafeSetDevice(d);
        if (!Integer.valueOf(d).equals(LOGGED.get())) {
            LOGGED.set(d);
            LOG.info("thread {} bound to CUDA device {} (Spark task GPU addresses {}; ND4J reports device {})",
                    Thread.currentThread().getName(), d, addresses, affinity.getDeviceForCurrentThread());
        }
        return device;
    }

    /** {@code address} as a device ordinal below {@code devices}, or empty. */
    static OptionalInt device(String address, int devices) {
        try {
            int d = Integer.parseInt(address.trim());
            return d >= 0 && d < devices ? OptionalInt.of(d) : OptionalInt.empty();
        } catch (NumberFormatException notAnOrdinal) {
            return OptionalInt.empty();
        }
    }
}
