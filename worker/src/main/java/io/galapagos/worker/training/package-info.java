/**
 * Trains and measures candidates with DeepLearning4J: {@link io.galapagos.worker.training.Dl4jTrialRunner}
 * turns a {@link io.galapagos.trial.Candidate} into a {@link io.galapagos.trial.TrialResult} (build, train
 * within the budget, measure accuracy, size, FLOPs and latency), and
 * {@link io.galapagos.worker.training.Dl4jRunnerFactory} is the serialisable recipe that creates it on an
 * executor. At fidelity levels, trainings below the last are saved as level checkpoints through the Hadoop
 * FileSystem API ({@code LevelCheckpoints}, in the format of {@code CheckpointFile}) for their promotions to
 * continue. Knows the data and network packages; knows Spark only to ask how many cores a task owns
 * and which GPUs it was assigned.
 */
package io.galapagos.worker.training;
