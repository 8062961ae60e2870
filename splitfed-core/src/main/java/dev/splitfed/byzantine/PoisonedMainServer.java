package dev.splitfed.byzantine;

import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.transport.Tensor;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The main server as a malicious client reaches it: every batch of smashed data is poisoned
 * ({@link Attack#poisonSmashed}) on its way; labels, gradients and everything else go through as
 * they are. Gaussian noise comes from one stream per client and round, drawn batch after batch.
 */
final class PoisonedMainServer implements MainServer {

    private final MainServer server;
    private final Attack attack;
    private final long seed;
    private UniformRandomProvider rng;
    private int rngRound;

    PoisonedMainServer(MainServer server, Attack attack, long seed) {
        this.server = server;
        this.attack = attack;
        this.seed = seed;
    }

    @Override
    public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
        return server.step(clientId, round, poison(clientId, round, smashed), labels);
    }

    @Override
    public Tensor forward(int clientId, int round, Tensor smashed) {
        return server.forward(clientId, round, poison(clientId, round, smashed));
    }

    @Override
    public Tensor backward(int clientId, int round, Tensor gradient) {
        return server.backward(clientId, round, gradient);
    }

    @Override
    public void finished(int clientId, int round) {
        server.finished(clientId, round);
    }

    private Tensor poison(int clientId, int round, Tensor smashed) {
        if (rng == null || rngRound != round) {
            rng = Seeds.rng(seed, "attack-smashed", clientId, round);
            rngRound = round;
        }
        return attack.poisonSmashed(smashed, rng);
    }
}
