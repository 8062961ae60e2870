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
import dev.splitfed.role.ProgressListener;
import dev.splitfed.role.SplitClient;
import dev.splitfed.role.UShapedClient;
import dev.splitfed.train.LocalTraining;
import dev.splitfed.transport.TrafficMeter;
import dev.splitfed.transport.Transport;
import java.util.ArrayList;
import java.util.List;

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
                config.seed(), config.dpSgd(), NoiseSource.seeded(config.seed()));
        // The central party is not a client of anyone: nothing it does crosses a network.
        FedServer fed = config.scheme() == Scheme.CENTRAL ? roles.fedServer() : transport.connect(roles.fedServer());
        MainServer main = roles.mainServer() == null ? null : transport.connect(roles.mainServer());
        SplitLayout uShape = config.labels() == LabelSharing.PRIVATE
                ? SplitLayout.of(plan.architecture(), config.cut(), LabelSharing.PRIVATE)
                : null;
        List<Client> clients = new ArrayList<>();
        for (int k = 0; k < partition.length; k++) {
            clients.add(main == null
                    ? new FederatedClient(k, train, partition[k], plan.architecture(), config.cut(), training, fed, progress)
                    : uShape != null
                            ? new UShapedClient(k, train, partition[k], plan.architecture(), uShape, training, fed, main,
                                    progress)
                            : new SplitClient(k, train, partition[k], plan.architecture(), config.cut(), training, fed,
                                    main, progress));
        }
        return new ClientPool() {
            @Override
            public List<ClientReport> train(int round, List<Integer> order) {
                List<ClientReport> reports = new ArrayList<>();
                for (int k : order) {
                    reports.add(clients.get(k).train(round));
                }
                return reports;
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
