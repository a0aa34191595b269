package io.galapagos.driver.report;

/**
 * How much one decision of the search space explains of the objective.
 *
 * @param decision   the decision's name
 * @param importance its share of the summed main effects of all decisions, so that all importances sum to 1 (as
 *                   Optuna's do), or all are 0 where nothing could be explained
 * @param mainEffect the fraction of the forest's prediction variance this decision explains alone (its first-order
 *                   Sobol index), in [0, 1]; unlike the importance it says how much is left to interactions
 */
public record DecisionImportance(String decision, double importance, double mainEffect) {
}
