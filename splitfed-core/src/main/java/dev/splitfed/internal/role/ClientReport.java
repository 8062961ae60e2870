package dev.splitfed.internal.role;

/**
 * What a client did in one round.
 *
 * @param clientId the client
 * @param samplesSeen samples processed over all local epochs
 * @param lossSum the sum over batches of (batch mean loss x batch size)
 */
public record ClientReport(int clientId, long samplesSeen, double lossSum) {}
