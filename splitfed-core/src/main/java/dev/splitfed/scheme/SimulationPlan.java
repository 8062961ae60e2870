package dev.splitfed.scheme;

import dev.splitfed.data.ClassHistogram;
import dev.splitfed.data.DataSplit;
import dev.splitfed.model.Architecture;

/**
 * What a simulation trains, by whom and on what, fixed before round 1.
 *
 * @param config the configuration
 * @param architecture the network
 * @param data the training set as used (after {@code --limit}) and the test set
 * @param partition for each client, the training-sample indices it holds
 * @param clientParameters the number of parameters before the cut, |W_C|
 * @param serverParameters the number of parameters after the cut, |W_S|
 */
public record SimulationPlan(
        SimulationConfig config,
        Architecture architecture,
        DataSplit data,
        int[][] partition,
        int clientParameters,
        int serverParameters) {

    /** Returns how many samples of each class each client holds. */
    public ClassHistogram histogram() {
        return ClassHistogram.of(partition, data.train().labels(), data.train().numClasses());
    }
}
