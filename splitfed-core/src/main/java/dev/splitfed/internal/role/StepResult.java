package dev.splitfed.internal.role;

import dev.splitfed.internal.transport.Tensor;

/**
 * The main server's answer to one batch of smashed data.
 *
 * @param cutGradient d loss / d smashed data, the same shape as the smashed data
 * @param loss the batch's mean training loss
 */
public record StepResult(Tensor cutGradient, float loss) {}
