package dev.splitfed.internal.role;

/**
 * What a server that takes submissions expects of one before it is sent: a server on the network
 * checks a submission's header with this before it buffers the payload. The fed servers (FedAvg,
 * SCAFFOLD, the relay of {@code sl}, secure aggregation's) answer it for plain weights, and secure
 * aggregation's server for masked inputs too.
 */
@FunctionalInterface
public interface SubmissionGate {

    /**
     * Returns how many values the client's submission in the round must carry, or refuses it.
     *
     * @param clientId the client
     * @param round the round the submission names
     * @return the exact number of values
     * @throws dev.splitfed.InvalidInputException if the server would refuse the submission
     */
    int expects(int clientId, int round);
}
