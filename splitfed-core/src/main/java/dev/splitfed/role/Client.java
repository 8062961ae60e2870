package dev.splitfed.role;

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
    ClientReport train(int round);
}
