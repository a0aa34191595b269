package io.galapagos.driver.results;

import io.galapagos.trial.Objective;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderboardTest {

    private static final Execution RAN = new Execution("1", "host", 7, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:01:00Z"));

    private static Candidate candidate(int n) {
        return new Candidate(n, MacroArchitecture.parse("conv3x3x8:relu/dense" + (n + 1) + ":tanh"), n);
    }

    private static TrialResult completed(int n, double val) {
        return new TrialResult.Completed(candidate(n), Metrics.EMPTY.with(Metrics.VAL_ACCURACY, val)
                .with(Metrics.TEST_ACCURACY, 0.5).with(Metrics.PARAMS, 1234), RAN);
    }

    @Test
    void ranksByObjectiveWithFailuresLastAndTiesByTrialNumber() {
        TrialResult failed = new TrialResult.Failed(candidate(0), "diverged: loss NaN, then \"stopped\"", Metrics.EMPTY, RAN);
        Leaderboard board = new Leaderboard(List.of(failed, completed(1, 0.7), completed(2, 0.9), completed(3, 0.7)),
                Objective.VALIDATION_ACCURACY);
        assertEquals(List.of(2, 1, 3, 0), board.ranked().stream().map(r -> r.candidate().number()).toList());

        List<String> lines = board.toCsv().lines().toList();
        assertEquals("rank,trial,status,val_accuracy,test_accuracy,params,flops,latency_ms,param_bytes,"
                + "inference_peak_bytes,train_peak_bytes,measured_train_bytes,train_seconds,epochs,"
                + "executor,started,finished,architecture,reason", lines.get(0));
        assertEquals("1,trial-0002,completed,0.9,0.5,1234,,,,,,,,,1,2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,"
                + "conv3x3x8:relu/dense3:tanh,", lines.get(1));
        assertEquals("4,trial-0000,failed,,,,,,,,,,,,1,2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,"
                + "conv3x3x8:relu/dense1:tanh,\"diverged: loss NaN, then \"\"stopped\"\"\"", lines.get(4));
    }

    /**
     * With several objectives, a tie on the first is broken by the next ones (each its own way) before the trial
     * number, so that the first row (best.json) is never a result another one dominates.
     */
    @Test
    void tiesOnTheFirstObjectiveAreBrokenByTheOthers() {
        TrialResult early = new TrialResult.Completed(candidate(1), new Metrics(java.util.Map.of("sig", 84.0,
                "lat", 28.5, "mem", 1.0)), RAN);
        TrialResult faster = new TrialResult.Completed(candidate(5), new Metrics(java.util.Map.of("sig", 84.0,
                "lat", 16.5, "mem", 3.0)), RAN);
        TrialResult smaller = new TrialResult.Completed(candidate(7), new Metrics(java.util.Map.of("sig", 84.0,
                "lat", 16.5, "mem", 2.0)), RAN);
        TrialResult worse = new TrialResult.Completed(candidate(0), new Metrics(java.util.Map.of("sig", 80.0,
                "lat", 1.0, "mem", 1.0)), RAN);
        List<Objective> objectives = List.of(Objective.maximize("sig"), Objective.minimize("lat"),
                Objective.minimize("mem"));
        Leaderboard board = new Leaderboard(List.of(worse, early, faster, smaller), objectives,
                List.of("sig", "lat", "mem"));
        assertEquals(List.of(7, 5, 1, 0), board.ranked().stream().map(r -> r.candidate().number()).toList());
        Leaderboard primaryOnly = new Leaderboard(List.of(worse, early, faster, smaller),
                List.of(Objective.maximize("sig")), List.of("sig"));
        assertEquals(List.of(1, 5, 7, 0), primaryOnly.ranked().stream().map(r -> r.candidate().number()).toList(),
                "one objective: ties by trial number");
    }

    @Test
    void tableShowsTheTopN() {
        Leaderboard board = new Leaderboard(List.of(completed(1, 0.7), completed(2, 0.9), completed(3, 0.8)),
                Objective.VALIDATION_ACCURACY);
        List<String> rows = board.table(2).lines().toList();
        assertEquals(3, rows.size());
        assertTrue(rows.get(1).contains("trial-0002") && rows.get(1).contains("0.9000"), rows.get(1));
        assertTrue(rows.get(2).contains("trial-0003"), rows.get(2));
    }

    @Test
    void namedColumnsComeFirstThenEveryOtherMetric() {
        TrialResult a = new TrialResult.Completed(candidate(1), new Metrics(java.util.Map.of("sig", 80.0, "rep", 93.5,
                "lat", 3.25, "index", 7.0)), RAN);
        TrialResult b = new TrialResult.Completed(candidate(2), new Metrics(java.util.Map.of("sig", 85.0, "rep", 94.0,
                "lat", 4.0, "index", 9.0, "params_m", 1.5)), RAN);
        Leaderboard board = new Leaderboard(List.of(a, b), List.of(Objective.maximize("sig")),
                List.of("sig", "rep", "lat"));
        List<String> lines = board.toCsv().lines().toList();
        assertEquals("rank,trial,status,sig,rep,lat,index,params_m,executor,started,finished,architecture,reason",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("1,trial-0002,completed,85,94,4,9,1.5,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("2,trial-0001,completed,80,93.5,3.25,7,,"), lines.get(2));
        List<String> rows = board.table(5).lines().toList();
        assertTrue(rows.get(0).contains("sig") && rows.get(0).contains("rep") && !rows.get(0).contains("index"), rows.get(0));
        assertTrue(rows.get(1).contains("85.0000") && rows.get(1).contains("94.0000"), rows.get(1));
    }

    @Test
    void cheapFidelityResultsRankAfterFullOnes() {
        TrialResult cheapButHigh = new TrialResult.Completed(new Candidate(5, candidate(5).architecture(), 5, 0),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.99), RAN);
        TrialResult full = new TrialResult.Completed(new Candidate(6, candidate(6).architecture(), 6, 1),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.8), RAN);
        Leaderboard board = new Leaderboard(List.of(cheapButHigh, full, completed(7, 0.7)), Objective.VALIDATION_ACCURACY);
        assertEquals(List.of(6, 7, 5), board.ranked().stream().map(r -> r.candidate().number()).toList());
    }

    @Test
    void aFailedTrialAtTheTopLevelDoesNotPushTheCompletedLevelBelowIt() {
        TrialResult diverged = new TrialResult.Failed(new Candidate(8, candidate(8).architecture(), 8, 1),
                "diverged: loss NaN", Metrics.EMPTY, RAN);
        TrialResult lower = new TrialResult.Completed(new Candidate(9, candidate(9).architecture(), 9, 0),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.8), RAN);
        Leaderboard board = new Leaderboard(List.of(diverged, lower), Objective.VALIDATION_ACCURACY);
        assertEquals(List.of(9, 8), board.ranked().stream().map(r -> r.candidate().number()).toList(),
                "the highest level completed counts, not the highest attempted");
    }

    @Test
    void aFailedTrialAtTheTopLevelRanksAfterEveryScoredOneOfACheaperLevel() {
        TrialResult top = new TrialResult.Completed(new Candidate(1, candidate(1).architecture(), 1, 1),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.85), RAN);
        TrialResult diverged = new TrialResult.Failed(new Candidate(2, candidate(2).architecture(), 2, 1),
                "diverged: loss NaN", Metrics.EMPTY, RAN);
        TrialResult cheaper = new TrialResult.Completed(new Candidate(3, candidate(3).architecture(), 3, 0),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.8), RAN);
        Leaderboard board = new Leaderboard(List.of(top, diverged, cheaper), Objective.VALIDATION_ACCURACY);
        assertEquals(List.of(1, 3, 2), board.ranked().stream().map(r -> r.candidate().number()).toList());
    }
}
