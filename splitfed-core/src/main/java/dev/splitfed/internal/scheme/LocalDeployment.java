package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationPlan;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.role.ModelPool;
import dev.splitfed.internal.role.ClientReport;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.LocalEntries;
import dev.splitfed.internal.role.PersonalHead;
import dev.splitfed.internal.role.ProgressListener;
import dev.splitfed.internal.secagg.SecAggServer;
import dev.splitfed.internal.transport.TrafficMeter;
import dev.splitfed.internal.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every client in this process, reaching the servers through a {@link Transport}, training one
 * after another: the result is the same as if the parallel schemes ran them at once, since no
 * client sees another's work within a round.
 */
public final class LocalDeployment implements Deployment {

    private final Transport transport;

    /**
     * Creates the deployment.
     *
     * @param transport how the clients reach the servers; the caller closes it
     */
    public LocalDeployment(Transport transport) {
        this.transport = transport;
    }

    @Override
    public ClientPool connect(Roles roles, SimulationPlan plan, ProgressListener progress) {
        SimulationConfig config = plan.config();
        Dataset train = plan.data().train();
        int[][] partition = plan.partition();
        // The central party is not a client of anyone: nothing it does crosses a network.
        FedServer fed = config.scheme() == Scheme.CENTRAL ? roles.fedServer() : transport.connect(roles.fedServer());
        MainServer main = roles.mainServer() == null ? null : transport.connect(roles.mainServer());
        SecAggServer secure = roles.secureAggregation() == null ? null : transport.connect(roles.secureAggregation());
        // Clients train one after another here, so one model of each kind serves them all; not with
        // noise at the cut, whose layer counts a client's batches within the round.
        ModelPool models = config.smashedNoise().enabled() ? null : new ModelPool();
        ClientAssembly.Builder builder = ClientAssembly.builder(config, plan.architecture())
                .optModelPool(models)
                .setFedServer(fed)
                .setNoise(NoiseSource.seeded(config.seed()))
                .optMainServer(main)
                .optSecureAggregation(secure, config.secureAggThreshold())
                .optPersonalHead(roles.initialHead())
                .optProgress(progress);
        List<Integer> malicious = config.maliciousClients();
        List<ClientAssembly> clients = new ArrayList<>();
        for (int k = 0; k < partition.length; k++) {
            clients.add(builder.setData(k, train, partition[k]).optAttack(malicious.contains(k) ? config.attack() : null)
                    .build());
        }
        return new ClientPool() {
            @Override
            public List<ClientReport> train(int round, List<Integer> order, Map<Integer, Long> batches) {
                List<ClientReport> reports = new ArrayList<>();
                for (int k : order) {
                    reports.add(clients.get(k).client().train(round, batches.getOrDefault(k, Long.MAX_VALUE)));
                }
                return reports;
            }

            // Each phase of secure aggregation needs the previous phase's messages from everyone,
            // so the clients of this one thread take each phase in turn.
            @Override
            public List<Integer> beforeTraining(int round, List<Integer> participants) {
                if (secure != null) {
                    participants.forEach(k -> clients.get(k).secureAggregation().advertiseKeys(round));
                    participants.forEach(k -> clients.get(k).secureAggregation().shareKeys(round));
                }
                return participants;
            }

            @Override
            public void afterTraining(int round, List<Integer> completed) {
                if (secure != null) {
                    completed.forEach(k -> clients.get(k).secureAggregation().unmask(round));
                }
            }

            @Override
            public float[] personalHead(int clientId) {
                PersonalHead head = clients.get(clientId).personalHead();
                return head == null ? null : head.head();
            }

            @Override
            public float[] localBn(int clientId, float[] clientWeights) {
                LocalEntries kept = clients.get(clientId).localBn();
                return kept == null ? null : kept.apply(clientWeights.clone());
            }

            @Override
            public void close() {
                if (models != null) {
                    models.close();
                }
            }
        };
    }

    @Override
    public TrafficMeter meter() {
        return transport.meter();
    }
}
