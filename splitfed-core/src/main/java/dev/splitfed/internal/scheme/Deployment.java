package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.SimulationPlan;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.role.MainServerNode;
import dev.splitfed.internal.role.ProgressListener;
import dev.splitfed.internal.transport.TrafficMeter;
import java.util.function.Function;

/** How a run's clients meet its servers: all in this process, or clients across a network. */
public interface Deployment {

    /**
     * Makes the servers reachable and returns the clients that will train with them.
     *
     * @param roles the run's servers
     * @param plan what is trained, by whom, on what
     * @param progress told after every batch a client trains here
     * @return the clients
     */
    ClientPool connect(Roles roles, SimulationPlan plan, ProgressListener progress);

    /** Returns where the payload bytes between clients and servers are counted. */
    TrafficMeter meter();

    /**
     * Returns how to reach a main server that runs in another process, given the W_S it must
     * start from; null (the default) when the main server runs here.
     */
    default Function<float[], MainServerNode> remoteMainServer() {
        return null;
    }

    /**
     * Returns where the servers' differential-privacy noise comes from: the run seed (the
     * default, so that a simulation can be repeated exactly), or, where clients in other processes
     * know the seed, a source they cannot predict.
     *
     * @param seed the run seed
     */
    default NoiseSource noise(long seed) {
        return NoiseSource.seeded(seed);
    }
}
