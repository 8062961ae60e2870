package dev.splitfed.internal.role;

import dev.splitfed.InvalidInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Admits only messages from this round's participants, for this round. */
final class RoundGate {

    private int round;
    private Set<Integer> participants = Set.of();

    void open(int round, List<Integer> participants) {
        if (round <= this.round) {
            throw new IllegalStateException("round " + round + " does not follow round " + this.round);
        }
        this.round = round;
        this.participants = new HashSet<>(participants);
    }

    /** Forgets the rounds seen so far: the next round may have any number (after a restore). */
    void reset() {
        round = 0;
        participants = Set.of();
    }

    void exclude(int clientId) {
        participants.remove(clientId);
    }

    void close() {
        participants = Set.of();
    }

    void check(int clientId, int messageRound) {
        if (messageRound != round) {
            throw new InvalidInputException(
                    "client " + clientId + " sent a message for round " + messageRound + " during round " + round);
        }
        if (!participants.contains(clientId)) {
            throw new InvalidInputException("client " + clientId + " is not taking part in round " + round);
        }
    }
}
