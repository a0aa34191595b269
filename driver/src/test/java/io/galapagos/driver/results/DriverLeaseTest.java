package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverLeaseTest {

    /** Renewed often, so that a test sees renewals; a claim elsewhere dead after 2 s of silence. */
    private static final DriverLease.Timing QUICK = new DriverLease.Timing(Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofMillis(50));

    private static DriverLease.Holder elsewhere() {
        return new DriverLease.Holder("another-machine", 4242, "", Instant.now().toString(), UUID.randomUUID().toString());
    }

    /** As {@link RunOutput} has it: no checksum files beside the output's. */
    private static FileSystem localFileSystem() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        fs.setWriteChecksum(false);
        return fs;
    }

    /** What {@code lease} says once it may no longer write, waiting for that up to 30 s. */
    private static IOException firstRefusal(DriverLease lease) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (true) {
                try {
                    lease.checkHeld();
                } catch (IOException e) {
                    return e;
                }
                Thread.sleep(50);
            }
        });
    }

    private static String claimFile(java.nio.file.Path dir) throws IOException {
        return Files.readString(dir.resolve(DriverLease.FILE));
    }

    @Test
    void aLiveDriverOnThisMachineKeepsItsFolderAndGivesItBackWhenItEnds(@TempDir java.nio.file.Path dir) throws IOException {
        FileSystem fs = localFileSystem();
        Path folder = new Path(dir.toString());
        try (DriverLease first = DriverLease.take(fs, folder, "run", DriverLease.Holder.self(), QUICK)) {
            OutputException second = assertThrows(OutputException.class,
                    () -> DriverLease.take(fs, folder, "run", DriverLease.Holder.self(), QUICK));
            assertTrue(second.getMessage().startsWith("output run: is being searched by a live driver (pid "
                    + ProcessHandle.current().pid() + " on "), second.getMessage());
            assertThrows(OutputException.class, () -> DriverLease.refuseHolder(fs, folder, "run"));
            first.checkHeld();
        }
        assertFalse(Files.exists(dir.resolve(DriverLease.FILE)), "the claim is given back");
        DriverLease.refuseHolder(fs, folder, "run");
        DriverLease.take(fs, folder, "run", DriverLease.Holder.self(), QUICK).close();
    }

    /** A driver killed on this machine is known dead by its process: the next one takes over without waiting. */
    @Test
    void aDriverThatEndedOnThisMachineIsTakenOverAtOnce(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = localFileSystem();
        Path folder = new Path(dir.toString());
        Process killed = new ProcessBuilder("sleep", "60").start();
        DriverLease.Holder dead = DriverLease.Holder.of(killed.toHandle());
        DriverLease killedLease = DriverLease.take(fs, folder, "run", dead, new DriverLease.Timing(Duration.ofHours(1),
                Duration.ofHours(1), Duration.ZERO));   // never renewed, as by a driver killed at once
        killed.destroyForcibly().waitFor();
        assertTrue(claimFile(dir).contains(dead.token()));
        DriverLease.Holder next = DriverLease.Holder.self();
        // an hour's patience for a holder elsewhere: only knowing this one dead lets the claim be taken in time
        DriverLease.Timing patient = new DriverLease.Timing(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO);
        try (DriverLease taken = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> DriverLease.take(fs, folder, "run", next, patient))) {
            assertTrue(claimFile(dir).contains(next.token()));
            killedLease.close();
            assertTrue(claimFile(dir).contains(next.token()), "a holder taken over leaves the taker's claim");
        }
    }

    /** A holder elsewhere that goes on renewing is alive: the claimant waits one silence and is refused. */
    @Test
    void aHolderElsewhereThatRenewsIsRefusedAfterWaitingForItsSilence(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = localFileSystem();
        Path folder = new Path(dir.toString());
        DriverLease.Holder remote = elsewhere();
        try (DriverLease live = DriverLease.take(fs, folder, "run", remote, QUICK)) {
            OutputException refused = assertThrows(OutputException.class,
                    () -> DriverLease.take(fs, folder, "run", DriverLease.Holder.self(), QUICK));
            assertTrue(refused.getMessage().contains("is being searched by a live driver (pid 4242 on another-machine"),
                    refused.getMessage());
            assertTrue(claimFile(dir).contains(remote.token()), "the live holder keeps its claim");
            live.checkHeld();
        }
    }

    /**
     * A holder elsewhere silent past its time is taken over; when it comes back (a stalled driver), its next renewal
     * finds the claim taken and it may write no more, and giving its claim back leaves the taker's.
     */
    @Test
    void aSilentHolderElsewhereIsTakenOverAndThenStopsWriting(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = localFileSystem();
        Path folder = new Path(dir.toString());
        DriverLease.Holder stalled = elsewhere();
        // its first renewal 4 s after its claim: the takeover below comes first, and the renewal finds it
        DriverLease.Timing slow = new DriverLease.Timing(Duration.ofSeconds(4), Duration.ofSeconds(20), Duration.ZERO);
        try (DriverLease old = DriverLease.take(fs, folder, "run", stalled, slow)) {
            Path file = new Path(folder, DriverLease.FILE);
            // its last renewal a minute ago, by the file system's clock
            fs.setTimes(file, System.currentTimeMillis() - 60_000, -1);
            DriverLease.Holder next = DriverLease.Holder.self();
            try (DriverLease taken = DriverLease.take(fs, folder, "run", next, QUICK)) {
                assertTrue(claimFile(dir).contains(next.token()));
                IOException stopped = firstRefusal(old);
                assertTrue(stopped.getMessage().startsWith("another driver took this search over (pid "
                        + ProcessHandle.current().pid()), stopped.getMessage());
                old.close();
                assertTrue(claimFile(dir).contains(next.token()), "the stalled driver leaves the taker's claim");
                taken.checkHeld();
            }
        }
    }

    /**
     * A driver whose renewals fail (its folder gone, a file system unreachable) cannot know whether another took over
     * once its silence nears the time after which one may: it stops writing then.
     */
    @Test
    void aDriverThatCannotRenewStopsWritingBeforeAnotherMayTakeOver(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = localFileSystem();
        java.nio.file.Path folder = Files.createDirectories(dir.resolve("run"));
        DriverLease.Timing timing = new DriverLease.Timing(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO);
        try (DriverLease lease = DriverLease.take(fs, new Path(folder.toString()), "run", DriverLease.Holder.self(),
                timing)) {
            lease.checkHeld();
            // the folder replaced by a file: no claim can be written there any more
            Files.delete(folder.resolve(DriverLease.FILE));
            Files.delete(folder);
            Files.writeString(folder, "not a folder");
            IOException stopped = firstRefusal(lease);
            assertTrue(stopped.getMessage().startsWith("this driver could not renew its claim on the output folder for "),
                    stopped.getMessage());
        }
    }

    /** Two drivers that found the folder free at the same moment both write a claim: only the last one's goes on. */
    @Test
    void aClaimOverwrittenWhileItSettlesIsGivenUp(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = localFileSystem();
        DriverLease.Holder self = DriverLease.Holder.self();
        DriverLease.Holder rival = elsewhere();
        Thread rivalWrites = new Thread(() -> {
            try {
                while (!Files.exists(dir.resolve(DriverLease.FILE)) || !claimFile(dir).contains(self.token())) {
                    Thread.sleep(5);
                }
                Files.writeString(dir.resolve(DriverLease.FILE), new ObjectMapper().writeValueAsString(rival));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        rivalWrites.start();
        DriverLease.Timing settling = new DriverLease.Timing(Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(2));
        OutputException refused = assertThrows(OutputException.class,
                () -> DriverLease.take(fs, new Path(dir.toString()), "run", self, settling));
        rivalWrites.join();
        assertTrue(refused.getMessage().startsWith("output run: was claimed at the same moment by another driver (pid "
                + "4242 on another-machine"), refused.getMessage());
        assertTrue(claimFile(dir).contains(rival.token()), "the rival's claim stays");
    }

    @Test
    void aFileThatIsNotAClaimIsReplacedAndAClaimWithMoreFieldsIsOne(@TempDir java.nio.file.Path dir) throws IOException {
        FileSystem fs = localFileSystem();
        Path folder = new Path(dir.toString());
        for (String notAClaim : List.of("{\"torn", "{\"machine\": \"m\"}", "[]")) {
            Files.writeString(dir.resolve(DriverLease.FILE), notAClaim);
            DriverLease.Holder self = DriverLease.Holder.self();
            try (DriverLease lease = DriverLease.take(fs, folder, "run", self, QUICK)) {
                assertTrue(claimFile(dir).contains(self.token()), notAClaim);
            }
        }
        // a later version's claim, with a field this one does not know, still names a live holder
        String later = new ObjectMapper().writeValueAsString(DriverLease.Holder.self()).replaceFirst("}$",
                ",\"application\":\"app-1\"}");
        Files.writeString(dir.resolve(DriverLease.FILE), later);
        assertThrows(OutputException.class, () -> DriverLease.take(fs, folder, "run", DriverLease.Holder.self(), QUICK));
    }

    /**
     * What a command says of a folder before it judges its holder: a live one here or one elsewhere that renewed within
     * the silence allowed is named; one elsewhere silent longer, or ended here, is not.
     */
    @Test
    void aClaimRenewedLatelyOrByALiveProcessIsRefusedWithoutWaiting(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = localFileSystem();
        Path folder = new Path(dir.toString());
        Path file = new Path(folder, DriverLease.FILE);
        Files.writeString(dir.resolve(DriverLease.FILE), new ObjectMapper().writeValueAsString(elsewhere()));
        OutputException recent = assertThrows(OutputException.class, () -> DriverLease.refuseHolder(fs, folder, "run"));
        assertTrue(recent.getMessage().startsWith("output run: is being searched by a driver elsewhere (pid 4242 on "
                + "another-machine, since "), recent.getMessage());
        fs.setTimes(file, System.currentTimeMillis() - 120_000, -1);
        DriverLease.refuseHolder(fs, folder, "run");
        Files.writeString(dir.resolve(DriverLease.FILE), new ObjectMapper().writeValueAsString(DriverLease.Holder.self()));
        fs.setTimes(file, System.currentTimeMillis() - 120_000, -1);
        OutputException live = assertThrows(OutputException.class, () -> DriverLease.refuseHolder(fs, folder, "run"));
        assertTrue(live.getMessage().startsWith("output run: is being searched by a live driver (pid "
                + ProcessHandle.current().pid()), live.getMessage());
    }
}
