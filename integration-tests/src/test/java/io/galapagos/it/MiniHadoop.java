package io.galapagos.it;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hadoop cluster in the test JVM, on localhost: HDFS (a NameNode and {@value #DATANODES} DataNodes) and, when
 * asked, YARN (a ResourceManager and one NodeManager, whose containers are JVMs of their own). Its client
 * configuration is a folder ({@link #confDir()}, for {@code HADOOP_CONF_DIR}) that lets a driver in another JVM
 * reach it; files that driver writes get {@value #DATANODES} replicas, what the DataNodes can hold.
 */
final class MiniHadoop implements AutoCloseable {

    static final int DATANODES = 2;

    private final MiniDFSCluster hdfs;
    private final MiniYARNCluster yarn;
    private final Path confDir;

    private MiniHadoop(MiniDFSCluster hdfs, MiniYARNCluster yarn, Path confDir) {
        this.hdfs = hdfs;
        this.yarn = yarn;
        this.confDir = confDir;
    }

    /** Starts HDFS, and YARN if {@code withYarn}, under the integration tests' work folder, in {@code name}/. */
    static MiniHadoop start(String name, boolean withYarn) throws IOException {
        Path base = Path.of(System.getProperty(StandaloneCluster.WORK_PROPERTY), name);
        Configuration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        conf.setInt("dfs.replication", DATANODES);
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(DATANODES).format(true).build();
        MiniYARNCluster yarn = null;
        try {
            hdfs.waitActive();
            Path confDir = Files.createDirectories(base.resolve("conf"));
            writeXml(confDir.resolve("hdfs-site.xml"), Map.of("dfs.replication", String.valueOf(DATANODES)));
            if (withYarn) {
                yarn = startYarn(name);
                try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
                    yarn.getConfig().writeXml(out);
                }
            }
            return new MiniHadoop(hdfs, yarn, confDir);
        } catch (IOException | RuntimeException e) {
            if (yarn != null) {
                yarn.stop();
            }
            hdfs.shutdown(true);
            throw e;
        }
    }

    private static MiniYARNCluster startYarn(String name) {
        YarnConfiguration conf = new YarnConfiguration();
        // the capacity scheduler needs a capacity-scheduler.xml that the shaded minicluster does not carry
        conf.set(YarnConfiguration.RM_SCHEDULER, FifoScheduler.class.getName());
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        // room for Spark's application master and one executor; containers are not policed on a shared machine
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // a build machine's disk is often over 90% full, which would mark the NodeManager unhealthy
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        MiniYARNCluster yarn = new MiniYARNCluster(name, 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        return yarn;
    }

    private static void writeXml(Path file, Map<String, String> properties) throws IOException {
        Configuration conf = new Configuration(false);
        properties.forEach(conf::set);
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    DistributedFileSystem fs() throws IOException {
        return hdfs.getFileSystem();
    }

    /** {@code hdfs://127.0.0.1:port}. */
    String hdfsUri() {
        return hdfs.getURI().toString();
    }

    /** The client configuration: {@code hdfs-site.xml}, and {@code yarn-site.xml} with YARN. */
    Path confDir() {
        return confDir;
    }

    MiniYARNCluster yarn() {
        if (yarn == null) {
            throw new IllegalStateException("this cluster runs no YARN");
        }
        return yarn;
    }

    @Override
    public void close() {
        if (yarn != null) {
            yarn.stop();
        }
        hdfs.shutdown(true);
    }
}
