package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search whose data and output live on a real HDFS (a NameNode and two DataNodes in this JVM, the driver a
 * separate JVM that reaches them over {@code hdfs://}): a reader sees each result in the journal as soon as
 * the driver reports it, the driver SIGKILLed mid-search loses nothing, and its resume counts nothing twice,
 * closes the segment the dead driver left open, and writes its snapshots and reports to HDFS. Prints its
 * figures: results before the kill and after the resume, duplicates, and the time to recover.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HdfsResumeIT {

    private static final int TRIALS = 10;
    private static final int KILL_AFTER = 4;
    /** A progress line of the driver: {@code [ 3/10] trial-0002 ...}. */
    private static final Pattern PROGRESS = Pattern.compile("(?m)^\\[\\s*(\\d+)/" + TRIALS + "] (trial-\\d+) ");

    private static MiniHadoop hadoop;
    private static DistributedFileSystem fs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHdfs() throws IOException {
        hadoop = MiniHadoop.start("HdfsResumeIT", false);
        fs = hadoop.fs();
    }

    @AfterAll
    static void stopHdfs() {
        if (hadoop != null) {
            hadoop.close();
        }
    }

    @Test
    void aDriverKilledWhileItWritesToHdfsResumesWithNoResultLostOrCountedTwice() throws Exception {
        String root = hadoop.hdfsUri();
        org.apache.hadoop.fs.Path data = new org.apache.hadoop.fs.Path(root + "/data/fashion-mnist");
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(GalapagosLauncher.repo()
                    .resolve("data/fashion-mnist").resolve(file).toUri()), new org.apache.hadoop.fs.Path(data, file));
        }
        Map<String, String> environment = Map.of("HADOOP_CONF_DIR", hadoop.confDir().toString());
        Path config = Files.writeString(dir.resolve("hdfs.yaml"), """
                name: hdfs
                seed: 5
                trials: %d
                parallelism: 2
                strategy: {kind: evolution, population: 4, sample_size: 2}
                space:
                  min_blocks: 1
                  max_blocks: 2
                  layers: [conv, maxpool, dense]
                  kernel_sizes: [3]
                  filters: [4]
                  dense_units: [16, 32]
                  activations: [relu, tanh]
                  batch_norm: [false]
                  dropout: [0.0]
                  skip_modes: [add]
                data:
                  train_images: %s/train-images-idx3-ubyte.gz
                  train_labels: %s/train-labels-idx1-ubyte.gz
                  test_images: %s/t10k-images-idx3-ubyte.gz
                  test_labels: %s/t10k-labels-idx1-ubyte.gz
                  train_limit: 1000
                training: {epochs: 1, max_seconds: 30, batch_size: 50, learning_rate: 0.005, latency_repeats: 3}
                recovery: {snapshot_every: 2}
                """.formatted(TRIALS, data, data, data, data));
        org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path(root + "/searches/killed");
        org.apache.hadoop.fs.Path first = new org.apache.hadoop.fs.Path(output, "journal.jsonl");

        // While the driver runs, after each result it reports: what a reader of the open journal sees
        Path log = dir.resolve("killed.log");
        Process driver = GalapagosLauncher.start(environment, log, "run", config.toString(), "--master", "local[2]",
                "--output", output.toString());
        List<String> sightings = new ArrayList<>();
        int reported = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        try {
            while (reported < KILL_AFTER) {
                assertTrue(driver.isAlive() && System.nanoTime() < deadline, "no " + KILL_AFTER + " results reported "
                        + "before the deadline; driver alive: " + driver.isAlive() + "\n" + Files.readString(log));
                Matcher progress = PROGRESS.matcher(Files.readString(log));
                while (progress.find()) {
                    int k = Integer.parseInt(progress.group(1));
                    if (k <= reported) {
                        continue;
                    }
                    reported = k;
                    byte[] journal = bytes(first);
                    List<JsonNode> visible = JournalRecords.in(new String(journal, StandardCharsets.UTF_8), "result");
                    String trial = progress.group(2);
                    assertTrue(visible.stream().anyMatch(r -> r.get("trial").asText().equals(trial)), "the driver "
                            + "reported " + trial + " (result " + k + ") before a reader of the journal could see it: "
                            + visible.size() + " results visible");
                    sightings.add(String.format(Locale.ROOT, "result %d reported: %d results visible to a reader, "
                            + "%d bytes readable, %d bytes listed", k, visible.size(), journal.length,
                            fs.getFileStatus(first).getLen()));
                }
                Thread.sleep(20);
            }
        } finally {
            driver.destroyForcibly().waitFor(); // SIGKILL
        }
        sightings.forEach(System.out::println);

        // After the SIGKILL: the dead driver's lease keeps its segment open; its flushed records are all readable
        List<JsonNode> before = JournalRecords.of(fs, output, "result");
        List<JsonNode> proposed = JournalRecords.of(fs, output, "proposal");
        assertTrue(before.size() >= KILL_AFTER && before.size() < TRIALS, "results at the kill: " + before.size());
        assertFalse(fs.isFileClosed(first), "the killed driver's journal segment was closed");
        long listedAtKill = fs.getFileStatus(first).getLen();
        long readableAtKill = readable(first);
        Set<String> running = new HashSet<>();
        proposed.forEach(p -> running.add(p.get("trial").asText()));
        before.forEach(r -> running.remove(r.get("trial").asText()));

        // The resume, watched from outside: when HDFS shows the killed driver's segment closed
        Instant resumeStarted = Instant.now();
        Path resumeLog = dir.resolve("resume.log");
        Process resume = GalapagosLauncher.start(environment, resumeLog, "resume", output.toString(), "--master",
                "local[2]");
        Instant segmentClosed = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!resume.waitFor(20, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            segmentClosed = segmentClosed == null && fs.isFileClosed(first) ? Instant.now() : segmentClosed;
        }
        resume.destroyForcibly().waitFor();
        String story = "\nkilled run:\n" + Files.readString(log) + "\nresume:\n" + Files.readString(resumeLog);
        assertEquals(0, resume.exitValue(), story);

        // Nothing lost, nothing twice; the trials that were running ran again under their ids
        List<JsonNode> after = JournalRecords.of(fs, output, "result");
        assertEquals(TRIALS, after.size(), story);
        assertEquals(0, duplicates(after), "a trial counted twice" + story);
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), after.get(i), "a result recorded before the kill changed");
        }
        Set<String> rerun = new HashSet<>();
        after.subList(before.size(), after.size()).forEach(r -> rerun.add(r.get("trial").asText()));
        assertTrue(rerun.containsAll(running), "trials running at the kill " + running + " did not run again: " + rerun);
        assertTrue(after.stream().allMatch(r -> r.get("status").asText().equals("completed")), story);

        // The resume closed the dead driver's segment: HDFS lists the length a reader reads, nothing more
        assertTrue(fs.isFileClosed(first), "the killed driver's segment is still open after the resume");
        long closedLength = fs.getFileStatus(first).getLen();
        assertEquals(readable(first), closedLength, "listed and readable lengths of the closed segment");
        assertTrue(closedLength >= readableAtKill, "the closed segment lost bytes a reader saw: " + closedLength
                + " < " + readableAtKill);
        List<org.apache.hadoop.fs.Path> segments = JournalRecords.segments(fs, output);
        assertEquals(List.of("journal.jsonl", "journal.2.jsonl"), segments.stream().map(org.apache.hadoop.fs.Path::getName)
                .toList());
        assertTrue(fs.isFileClosed(segments.get(1)), "the resumed session left its segment open");

        // Snapshots and reports are on HDFS, written with the replication the driver's HADOOP_CONF_DIR asks
        List<JsonNode> resumes = JournalRecords.of(fs, output, "resume");
        assertEquals(1, resumes.size());
        assertTrue(resumes.get(0).get("snapshot").asText().startsWith("snapshots/"), "resumed without a snapshot: "
                + resumes.get(0));
        // a snapshot being written at the kill leaves its hidden temporary file, which nothing reads
        List<FileStatus> snapshots = Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(output, "snapshots")))
                .filter(f -> !f.getPath().getName().startsWith(".")).toList();
        assertTrue(snapshots.size() >= 1 && snapshots.size() <= 3, "snapshots: " + snapshots);
        for (String report : List.of("config.yaml", "leaderboard.csv", "best.json", "timeline.csv", "report.html")) {
            FileStatus status = fs.getFileStatus(new org.apache.hadoop.fs.Path(output, report));
            assertTrue(status.getLen() > 0, report + " is empty");
            assertEquals(MiniHadoop.DATANODES, status.getReplication(), report + ": not written with the client "
                    + "configuration");
        }
        for (FileStatus snapshot : snapshots) {
            assertEquals(MiniHadoop.DATANODES, snapshot.getReplication(), snapshot.getPath().getName());
        }
        String leaderboard = read(new org.apache.hadoop.fs.Path(output, "leaderboard.csv"));
        assertEquals(TRIALS + 1, leaderboard.lines().count(), leaderboard);

        assertTrue(segmentClosed != null, "the resume ended before HDFS showed the segment closed" + story);
        Instant firstResult = after.subList(before.size(), after.size()).stream()
                .map(r -> Instant.parse(r.get("finished").asText())).min(Comparator.naturalOrder()).orElseThrow();
        assertTrue(segmentClosed.isBefore(firstResult), "the segment was closed after the resume's first result, "
                + "not before the journal was read: " + segmentClosed + " vs " + firstResult);
        Duration recovery = Duration.between(resumeStarted, firstResult);
        System.out.printf(Locale.ROOT, "HDFS driver SIGKILL + resume: results before the kill %d (%d running), after "
                        + "the resume %d of %d expected, duplicates %d; the killed segment at the kill: %d bytes readable, "
                        + "%d listed, open; closed by the resume %.2f s after it started (%d bytes); time to recover "
                        + "(resume started to its first result) %.2f s%n", before.size(), running.size(), after.size(),
                TRIALS, duplicates(after), readableAtKill, listedAtKill,
                Duration.between(resumeStarted, segmentClosed).toMillis() / 1000.0, closedLength,
                recovery.toMillis() / 1000.0);
    }

    /** How many bytes a reader of {@code file} reads to its end now. */
    private static long readable(org.apache.hadoop.fs.Path file) throws IOException {
        return bytes(file).length;
    }

    private static String read(org.apache.hadoop.fs.Path file) throws IOException {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(org.apache.hadoop.fs.Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    private static int duplicates(List<JsonNode> results) {
        Set<Integer> numbers = new HashSet<>();
        return (int) results.stream().filter(r -> !numbers.add(r.get("number").asInt())).count();
    }
}
