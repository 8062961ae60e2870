package dev.splitfed.internal.role;

/** A data owner taking part in training; it talks to the servers only through their interfaces. */
public interface Client {

    /** Returns the client's id. */
    int id();

    /** Returns the number of training samples the client holds. */
    int samples();

    /**
     * Trains for one round: downloads weights, runs its local epochs, hands the result in.
     *
     * @param round the round number, from 1
     * @return what the client did
     */
    default ClientReport train(int round) {
        return train(round, Long.MAX_VALUE);
    }

    /**
     * Trains for one round, stopping after at most {@code batches} batches (a straggler's partial
     * work before a deadline); a client stopped early hands in its weights weighted by the
     * distinct samples it trained on.
     *
     * @param round the round number, from 1 (under FedBuff: the client's job number)
     * @param batches the most batches to train, {@code >= 1}; {@link Long#MAX_VALUE} for all
     * @return what the client did
     */
    ClientReport train(int round, long batches);
}
