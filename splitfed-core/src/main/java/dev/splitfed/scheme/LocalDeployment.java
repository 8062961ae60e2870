package dev.splitfed.scheme;

import dev.splitfed.data.Dataset;
import dev.splitfed.privacy.NoiseSource;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.model.SplitLayout;
import dev.splitfed.role.Client;
import dev.splitfed.role.ClientReport;
import dev.splitfed.role.FedServer;
import dev.splitfed.role.FederatedClient;
import dev.splitfed.role.MainServer;
import dev.splitfed.role.PersonalHead;
import dev.splitfed.role.ProgressListener;
import dev.splitfed.role.SplitClient;
import dev.splitfed.role.UShapedClient;
import dev.splitfed.secagg.MaskingFedServer;
import dev.splitfed.secagg.SecAggClient;
import dev.splitfed.secagg.SecAggServer;
import dev.splitfed.train.LocalTraining;
import dev.splitfed.transport.TrafficMeter;
import dev.splitfed.transport.Transport;
import java.security.SecureRandom;
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
        LocalTraining training = new LocalTraining(config.localEpochs(), config.batchSize(), config.optimizer(),
                config.seed(), config.dpSgd(), NoiseSource.seeded(config.seed()), config.proxMu(), config.scaffold());
        // The central party is not a client of anyone: nothing it does crosses a network.
        FedServer fed = config.scheme() == Scheme.CENTRAL ? roles.fedServer() : transport.connect(roles.fedServer());
        MainServer main = roles.mainServer() == null ? null : transport.connect(roles.mainServer());
        SplitLayout uShape = config.labels() == LabelSharing.PRIVATE
                ? SplitLayout.of(plan.architecture(), config.cut(), LabelSharing.PRIVATE)
                : null;
        SecAggServer secure = roles.secureAggregation() == null ? null : transport.connect(roles.secureAggregation());
        SecureRandom random = new SecureRandom();
        List<Client> clients = new ArrayList<>();
        List<SecAggClient> secureClients = new ArrayList<>();
        List<Integer> malicious = config.maliciousClients();
        List<PersonalHead> heads = new ArrayList<>();
        for (int k = 0; k < partition.length; k++) {
            FedServer own = fed;
            if (secure != null) {
                SecAggClient half = new SecAggClient(k, partition[k].length, config.secureAggThreshold(), secure, random);
                secureClients.add(half);
                own = new MaskingFedServer(fed, half);
            }
            Dataset data = train;
            MainServer mine = main;
            if (malicious.contains(k)) {
                // Poisoned before masking: secure aggregation hides what a client sent, not whether it lied.
                data = config.attack().data(train);
                own = config.attack().fedServer(own, config.seed());
                mine = main == null ? null : config.attack().mainServer(main, config.seed());
            }
            if (config.personalHead()) {
                // Outermost, so that the head is cut off before anything else sees the update.
                PersonalHead head = new PersonalHead(own, roles.initialHead());
                heads.add(head);
                own = head;
            }
            clients.add(mine == null
                    ? new FederatedClient(k, data, partition[k], plan.architecture(), config.cut(), training, own, progress)
                    : uShape != null
                            ? new UShapedClient(k, data, partition[k], plan.architecture(), uShape, training, own, mine,
                                    progress)
                            : new SplitClient(k, data, partition[k], plan.architecture(), config.cut(), training, own,
                                    mine, progress));
        }
        return new ClientPool() {
            @Override
            public List<ClientReport> train(int round, List<Integer> order, Map<Integer, Long> batches) {
                List<ClientReport> reports = new ArrayList<>();
                for (int k : order) {
                    reports.add(clients.get(k).train(round, batches.getOrDefault(k, Long.MAX_VALUE)));
                }
                return reports;
            }

            // Each phase of secure aggregation needs the previous phase's messages from everyone,
            // so the clients of this one thread take each phase in turn.
            @Override
            public List<Integer> beforeTraining(int round, List<Integer> participants) {
                if (secure != null) {
                    participants.forEach(k -> secureClients.get(k).advertiseKeys(round));
                    participants.forEach(k -> secureClients.get(k).shareKeys(round));
                }
                return participants;
            }

            @Override
            public void afterTraining(int round, List<Integer> completed) {
                if (secure != null) {
                    completed.forEach(k -> secureClients.get(k).unmask(round));
                }
            }

            @Override
            public float[] personalHead(int clientId) {
                return heads.isEmpty() ? null : heads.get(clientId).head();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public TrafficMeter meter() {
        return transport.meter();
    }
}
