package io.galapagos.worker.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OncePerJvmTest {

    /**
     * Task A starts the load and is cancelled in the middle of it (its read interrupted, as HDFS's reports it); task B,
     * waiting for the same data, is not cancelled: it loads the data itself instead of failing with A's interrupt.
     */
    @Test
    void aWaiterLoadsTheDataItselfWhenTheLoadingTaskIsCancelled() throws Exception {
        OncePerJvm<String, String> cache = new OncePerJvm<>();
        CountDownLatch loading = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        OncePerJvm.Loader<String, String> loader = key -> {
            loads.incrementAndGet();
            loading.countDown();
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("read interrupted");
            }
            return key + " loaded";
        };
        CompletableFuture<Throwable> aFailed = new CompletableFuture<>();
        Thread a = new Thread(() -> {
            try {
                cache.get("data", loader);
                aFailed.complete(null);
            } catch (IOException e) {
                aFailed.complete(e);
            }
        });
        a.start();
        assertTrue(loading.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> load(cache, loader));
        Thread.sleep(200); // B waits for A's load, which takes 400 ms
        a.interrupt();
        a.join();
        assertInstanceOf(InterruptedIOException.class, aFailed.get(), "the cancelled task fails");
        assertEquals("data loaded", b.get(10, TimeUnit.SECONDS));
        assertEquals(2, loads.get(), "A's load, given up, and B's");
        assertEquals("data loaded", cache.get("data", key -> {
            throw new AssertionError("loaded once it succeeded");
        }));
    }

    /**
     * A load that fails on its own (a missing file, a store that times out) fails its waiters too: loading again would
     * fail the same way.
     */
    @Test
    void aFailedLoadFailsItsWaitersAndIsNotKept() throws Exception {
        OncePerJvm<String, String> cache = new OncePerJvm<>();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        OncePerJvm.Loader<String, String> timingOut = key -> {
            loads.incrementAndGet();
            try {
                waiting.await();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            throw new SocketTimeoutException("60000 millis timeout while waiting for channel to be ready for read");
        };
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> load(cache, timingOut));
        Thread.sleep(100);
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            return load(cache, timingOut);
        });
        for (CompletableFuture<String> task : List.of(a, b)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> task.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause().getCause(), e::toString);
            assertTrue(e.getCause().getCause().getMessage().contains("60000 millis timeout"), e::toString);
        }
        assertEquals(1, loads.get(), "one load, both failed by it");
        assertEquals("data", cache.get("data", key -> key));
    }

    private static String load(OncePerJvm<String, String> cache, OncePerJvm.Loader<String, String> loader) {
        try {
            return cache.get("data", loader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
