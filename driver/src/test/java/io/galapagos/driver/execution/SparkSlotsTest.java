package io.galapagos.driver.execution;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SparkSlotsTest {

    @Test
    void localMasters() {
        assertEquals(OptionalInt.of(1), SparkSlots.localCores("local"));
        assertEquals(OptionalInt.of(3), SparkSlots.localCores("local[3]"));
        assertEquals(OptionalInt.of(2), SparkSlots.localCores("local[2,4]"));
        assertEquals(OptionalInt.of(Runtime.getRuntime().availableProcessors()), SparkSlots.localCores("local[*]"));
        assertEquals(OptionalInt.of(Runtime.getRuntime().availableProcessors()), SparkSlots.localCores("local[*, 3]"));
        assertEquals(OptionalInt.empty(), SparkSlots.localCores("local-cluster[2,1,1024]"));
        assertEquals(OptionalInt.empty(), SparkSlots.localCores("spark://127.0.0.1:7077"));
        assertEquals(OptionalInt.empty(), SparkSlots.localCores("yarn"));
    }

    @Test
    void expectedExecutorCores() {
        SparkConf conf = new SparkConf(false);
        assertEquals(OptionalInt.of(4), SparkSlots.expectedCores(conf, "local-cluster[2,2,1024]"));
        assertEquals(OptionalInt.empty(), SparkSlots.expectedCores(conf, "spark://h:7077"));
        assertEquals(OptionalInt.of(2), SparkSlots.expectedCores(conf.clone().set("spark.cores.max", "2"), "spark://h:7077"));
        assertEquals(OptionalInt.of(4), SparkSlots.expectedCores(conf.clone().set("spark.cores.max", "5")
                .set("spark.executor.cores", "2"), "spark://h:7077"), "whole executors only");
        assertEquals(OptionalInt.empty(), SparkSlots.expectedCores(conf.clone().set("spark.cores.max", "1")
                .set("spark.executor.cores", "2"), "spark://h:7077"));
        assertEquals(OptionalInt.of(12), SparkSlots.expectedCores(conf.clone().set("spark.executor.instances", "3")
                .set("spark.executor.cores", "4"), "yarn"));
        assertEquals(OptionalInt.of(3), SparkSlots.expectedCores(conf.clone().set("spark.executor.instances", "3"), "k8s://x"));
    }

    /** With dynamic allocation the width is the executors to come times this: GPUs, where scarcer, bound it. */
    @Test
    void tasksAnExecutorRunsAtOnce() {
        SparkConf eightCores = new SparkConf(false).set("spark.executor.cores", "8");
        assertEquals(8, SparkSlots.tasksPerExecutor(eightCores));
        assertEquals(4, SparkSlots.tasksPerExecutor(eightCores.clone().set("spark.task.cpus", "2")));
        SparkConf oneGpu = eightCores.clone().set("spark.executor.resource.gpu.amount", "1")
                .set("spark.task.resource.gpu.amount", "1").set("spark.task.resource.gpu.vendor", "nvidia.com");
        assertEquals(1, SparkSlots.tasksPerExecutor(oneGpu));
        assertEquals(3, SparkSlots.tasksPerExecutor(oneGpu.clone().set("spark.task.resource.gpu.amount", "0.333")));
        assertEquals(8, SparkSlots.tasksPerExecutor(oneGpu.clone().set("spark.executor.resource.gpu.amount", "16")));
        // as Spark counts them: 3 GPUs shared by tasks of 0.4 run 3 x floor(1 / 0.4) = 6, not floor(3 / 0.4) = 7
        assertEquals(6, SparkSlots.tasksPerExecutor(oneGpu.clone().set("spark.executor.resource.gpu.amount", "3")
                .set("spark.task.resource.gpu.amount", "0.4")));
        assertEquals(1, SparkSlots.tasksPerExecutor(oneGpu.clone().set("spark.executor.resource.gpu.amount", "3")
                .set("spark.task.resource.gpu.amount", "2")));
    }
}
