package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.data.Dataset;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.role.Client;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.FederatedClient;
import dev.splitfed.internal.role.LocalClient;
import dev.splitfed.internal.role.LocalEntries;
import dev.splitfed.internal.role.ModelPool;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.PersonalHead;
import dev.splitfed.internal.role.ProgressListener;
import dev.splitfed.internal.role.SplitClient;
import dev.splitfed.internal.role.UShapedClient;
import dev.splitfed.internal.secagg.MaskingFedServer;
import dev.splitfed.internal.secagg.SecAggClient;
import dev.splitfed.internal.secagg.SecAggServer;
import dev.splitfed.internal.train.LocalTraining;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * One client of a run, assembled as the run's settings say: the client that trains (federated,
 * split, or U-shaped with private labels) and the views of the servers it trains through. The
 * simulation's clients and a deployed client are all built here.
 *
 * <p>Around the fed server, innermost first: secure aggregation's masking; then a malicious
 * client's poisoning, before masking, since secure aggregation hides what a client sent, not
 * whether it lied; then FedPer's personal head, outermost, so that the head is cut off before
 * anything else sees the update; outside that, FedBN's local batch normalisation, which sees the
 * client's whole vector and writes its own batch-normalisation values over every download. A
 * malicious client also poisons its data and its smashed data.
 */
public final class ClientAssembly {

    private final Client client;
    private final SecAggClient secureAggregation;
    private final PersonalHead personalHead;
    private final LocalEntries localBn;

    private ClientAssembly(Client client, SecAggClient secureAggregation, PersonalHead personalHead,
            LocalEntries localBn) {
        this.client = client;
        this.secureAggregation = secureAggregation;
        this.personalHead = personalHead;
        this.localBn = localBn;
    }

    /**
     * Starts assembling a client of a run.
     *
     * @param config the run's settings (as this client sees them)
     * @param architecture the network the client trains, as it runs here (with the noise at the cut, if any)
     * @return the builder
     */
    public static Builder builder(SimulationConfig config, Architecture architecture) {
        return new Builder(config, architecture);
    }

    /** Returns the client. */
    public Client client() {
        return client;
    }

    /** Returns the client's half of secure aggregation, or null when the run has none. */
    public SecAggClient secureAggregation() {
        return secureAggregation;
    }

    /** Returns the client's FedPer head, or null when the run keeps none. */
    public PersonalHead personalHead() {
        return personalHead;
    }

    /** Returns the batch-normalisation values the client keeps (FedBN), or null when the run keeps none. */
    public LocalEntries localBn() {
        return localBn;
    }

    /**
     * Collects a client's parts; the data, the fed server and the noise are required, the rest as
     * the run needs them. One builder may build several clients of a run, each with its own data
     * (and attack), that share the rest.
     */
    public static final class Builder {

        private final SimulationConfig config;
        private final Architecture architecture;
        private int id = -1;
        private Dataset data;
        private int[] indices;
        private FedServer fedServer;
        private NoiseSource noise;
        private MainServer mainServer;
        private SecAggServer secureServer;
        private int threshold;
        private Attack attack;
        private float[] initialHead;
        private ProgressListener progress = ProgressListener.NONE;
        /** With private labels, the U-shaped split, worked out once for every client built here. */
        private SplitLayout uShape;
        private ModelPool modelPool;
        /** With FedBN, the batch-normalisation positions of the client's vector, worked out once. */
        private boolean[] bnMask;

        private Builder(SimulationConfig config, Architecture architecture) {
            this.config = Objects.requireNonNull(config, "config");
            this.architecture = Objects.requireNonNull(architecture, "architecture");
        }

        /**
         * Sets who the client is and what it holds.
         *
         * @param id the client's id
         * @param data the data set its indices point into
         * @param indices the samples it trains on
         * @return this builder
         */
        public Builder setData(int id, Dataset data, int[] indices) {
            this.id = id;
            this.data = Objects.requireNonNull(data, "data");
            this.indices = Objects.requireNonNull(indices, "indices");
            return this;
        }

        /**
         * Sets the fed server as the client reaches it.
         *
         * @param fedServer the fed server's view
         * @return this builder
         */
        public Builder setFedServer(FedServer fedServer) {
            this.fedServer = Objects.requireNonNull(fedServer, "fedServer");
            return this;
        }

        /**
         * Sets where DP-SGD's noise comes from: the run seed in a simulation, a source nobody can
         * predict in a deployment.
         *
         * @param noise the source
         * @return this builder
         */
        public Builder setNoise(NoiseSource noise) {
            this.noise = Objects.requireNonNull(noise, "noise");
            return this;
        }

        /**
         * Sets the main server as the client reaches it; required by the split schemes.
         *
         * @param mainServer the main server's view
         * @return this builder
         */
        public Builder optMainServer(MainServer mainServer) {
            this.mainServer = mainServer;
            return this;
        }

        /**
         * Sets the fed server's half of secure aggregation as the client reaches it; required
         * when the run aggregates securely.
         *
         * @param server the server's half
         * @param threshold t, the survivors needed to unmask: the server's, whatever this client's settings
         * @return this builder
         */
        public Builder optSecureAggregation(SecAggServer server, int threshold) {
            this.secureServer = server;
            this.threshold = threshold;
            return this;
        }

        /**
         * Makes the client a malicious one.
         *
         * @param attack what it does, or null for an honest client
         * @return this builder
         */
        public Builder optAttack(Attack attack) {
            this.attack = attack;
            return this;
        }

        /**
         * Sets the head a FedPer client starts from (the initial global weights' last stage);
         * required when the run keeps personal heads.
         *
         * @param initialHead the head
         * @return this builder
         */
        public Builder optPersonalHead(float[] initialHead) {
            this.initialHead = initialHead;
            return this;
        }

        /**
         * Makes the clients built from now on borrow their round's model from a pool instead of
         * building one each round.
         *
         * @param pool the pool, or null to build a model each round
         * @return this builder
         */
        public Builder optModelPool(ModelPool pool) {
            this.modelPool = pool;
            return this;
        }

        /**
         * Sets the split's layout instead of measuring it from the architecture: what a deployed
         * client that holds only its own stages of a TorchScript model must do.
         *
         * @param layout the layout the server sent, or null to measure it
         * @return this builder
         */
        public Builder optLayout(SplitLayout layout) {
            if (layout != null) {
                this.uShape = layout;
            }
            return this;
        }

        /**
         * Sets who is told after every batch.
         *
         * @param progress the listener
         * @return this builder
         */
        public Builder optProgress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * Assembles the client.
         *
         * @return the client and its parts
         * @throws IllegalStateException if a part the run needs is missing, or one it has no use for is given
         */
        public ClientAssembly build() {
            require(data != null, "the client's data (setData)");
            require(fedServer != null, "the fed server (setFedServer)");
            require(noise != null, "the source of DP-SGD's noise (setNoise)");
            require(!config.scheme().isSplit() || mainServer != null, "a main server for " + config.scheme().id()
                    + " (optMainServer)");
            require((secureServer != null) == config.secureAgg(), "secure aggregation's server exactly when the run "
                    + "aggregates securely (optSecureAggregation)");
            require((initialHead != null) == config.personalHead(), "an initial head exactly when the run keeps "
                    + "personal heads (optPersonalHead)");
            LocalTraining training = new LocalTraining(config.localEpochs(), config.batchSize(), config.optimizer(),
                    config.seed(), config.dpSgd(), noise, config.proxMu(), config.scaffold());
            FedServer fed = fedServer;
            SecAggClient secure = null;
            if (secureServer != null) {
                secure = new SecAggClient(id, indices.length, threshold, secureServer, new SecureRandom());
                fed = new MaskingFedServer(fed, secure);
            }
            Dataset own = data;
            MainServer main = mainServer;
            if (attack != null) {
                own = attack.data(data);
                fed = attack.fedServer(fed, config.seed());
                main = main == null ? null : attack.mainServer(main, config.seed());
            }
            PersonalHead head = null;
            if (initialHead != null) {
                head = new PersonalHead(fed, initialHead);
                fed = head;
            }
            LocalEntries localBn = null;
            if (config.localBn()) {
                if (bnMask == null) {
                    bnMask = LocalEntries.normalisation(architecture, config.scheme().isSplit()
                            ? SplitLayout.of(architecture, config.cut(), config.labels()) : null);
                }
                localBn = new LocalEntries(fed, bnMask);
                fed = localBn;
            }
            Client client;
            if (!config.scheme().isSplit()) {
                client = new FederatedClient(id, own, indices, architecture, config.cut(), training, fed, progress);
            } else if (config.labels() == LabelSharing.PRIVATE) {
                if (uShape == null) {
                    uShape = SplitLayout.of(architecture, config.cut(), LabelSharing.PRIVATE);
                }
                client = new UShapedClient(id, own, indices, architecture, uShape, training, fed, main, progress);
            } else {
                client = new SplitClient(id, own, indices, architecture, config.cut(), training, fed, main, progress);
            }
            if (modelPool != null && client instanceof LocalClient<?> local) {
                local.borrowModelsFrom(modelPool);
            }
            return new ClientAssembly(client, secure, head, localBn);
        }

        private static void require(boolean holds, String what) {
            if (!holds) {
                throw new IllegalStateException("a client needs " + what);
            }
        }
    }
}
