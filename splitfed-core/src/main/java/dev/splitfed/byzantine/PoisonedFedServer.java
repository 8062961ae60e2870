package dev.splitfed.byzantine;

import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.role.FedServer;

/**
 * The fed server as a malicious client reaches it: it remembers the weights the client downloaded
 * in the round and, when the client hands in its trained weights, hands in the attack's poisoned
 * weights instead ({@link Attack#poisonWeights}). The sample count goes through unchanged.
 */
final class PoisonedFedServer implements FedServer {

    private final FedServer server;
    private final Attack attack;
    private final long seed;
    private float[] start;
    private int startRound;

    PoisonedFedServer(FedServer server, Attack attack, long seed) {
        this.server = server;
        this.attack = attack;
        this.seed = seed;
    }

    @Override
    public float[] download(int clientId, int round) {
        float[] weights = server.download(clientId, round);
        start = weights.clone();
        startRound = round;
        return weights;
    }

    @Override
    public void submit(int clientId, int round, float[] weights, int samples) {
        if (start == null || startRound != round || start.length != weights.length) {
            throw new IllegalStateException("client " + clientId + " submits for round " + round
                    + " without having downloaded that round's weights");
        }
        float[] poisoned = attack.poisonWeights(start, weights, Seeds.rng(seed, "attack-weights", clientId, round));
        start = null;
        server.submit(clientId, round, poisoned, samples);
    }
}
