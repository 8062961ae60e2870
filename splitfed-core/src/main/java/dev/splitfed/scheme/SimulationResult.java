package dev.splitfed.scheme;

import java.util.List;

/**
 * What a finished simulation produced.
 *
 * @param rounds every round's metrics, in order
 * @param globalWeights the final global model: client-side values, then server-side values
 */
public record SimulationResult(List<RoundMetrics> rounds, float[] globalWeights) {}
