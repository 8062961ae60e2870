package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.internal.privacy.DpFedAvg;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.role.AsyncControl;
import dev.splitfed.internal.role.FedAvgServer;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServerNode;
import dev.splitfed.internal.role.PersonalHead;
import dev.splitfed.internal.role.RelayServer;
import dev.splitfed.internal.role.RoundControl;
import dev.splitfed.internal.role.SubmissionGate;
import dev.splitfed.internal.role.ScaffoldServer;
import dev.splitfed.internal.role.SplitMainServer;
import java.util.Arrays;
import dev.splitfed.internal.secagg.SecAggFedServer;
import dev.splitfed.internal.secagg.SecAggServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The servers of a run, as its scheme defines them: a fed server (averaging, or relaying for
 * {@code sl}) and, for split schemes, a main server. Clients reach them through a transport.
 */
public final class Roles {

    /** The checkpoint's name for the fed server's optimizer state. */
    public static final String FED_OPTIMIZER = "fed-optimizer";

    /** The checkpoint's name for the state of SFLV1's main-server optimizer. */
    public static final String MAIN_OPTIMIZER = "main-optimizer";

    private final Scheme scheme;
    private final FedServer fedServer;
    private final RoundControl fedControl;
    private final SubmissionGate fedGate;
    private final MainServerNode mainServer;
    private final SplitLayout layout;
    private final SecAggFedServer secureAggregation;
    /** With FedPer, the head every client starts from, which the fed server never holds; else null. */
    private final float[] initialHead;
    private final Map<String, ServerOptimizer> optimizers = new TreeMap<>();
    private final boolean mainElsewhere;

    /**
     * Creates the servers holding the given global weights.
     *
     * @param config the run
     * @param architecture the network
     * @param cut the cut
     * @param clientWeights W_C, with private labels bottom ++ head (for fl and central: the whole model
     *     is {@code client ++ server})
     * @param serverWeights W_S
     */
    public Roles(SimulationConfig config, Architecture architecture, int cut, float[] clientWeights, float[] serverWeights) {
        this(config, architecture, cut, clientWeights, serverWeights, null, NoiseSource.seeded(config.seed()));
    }

    /**
     * Creates the servers, with the main server in another process.
     *
     * @param config the run
     * @param architecture the network
     * @param cut the cut
     * @param clientWeights W_C, with private labels bottom ++ head (for fl and central: the whole model
     *     is {@code client ++ server})
     * @param serverWeights W_S
     * @param remoteMain makes the handle on the remote main server from W_S, or null for a local one
     * @param noise where the fed server's DP-FedAvg noise comes from
     */
    public Roles(SimulationConfig config, Architecture architecture, int cut, float[] clientWeights, float[] serverWeights,
            Function<float[], MainServerNode> remoteMain, NoiseSource noise) {
        DpFedAvg dp = config.dpFedAvg() == null
                ? null
                : new DpFedAvg(config.dpFedAvg(), config.fraction() * config.clients(), noise);
        this.scheme = config.scheme();
        this.layout = SplitLayout.of(architecture, cut, config.labels());
        float[] fedWeights = scheme.isSplit() ? clientWeights : SplitModel.concat(clientWeights, serverWeights);
        if (config.personalHead()) {
            // FedPer (Arivazhagan et al. 2019): the head is the tail of what a client hands in, and stays with it.
            int base = fedWeights.length - PersonalHead.size(architecture);
            initialHead = Arrays.copyOfRange(fedWeights, base, fedWeights.length);
            fedWeights = Arrays.copyOf(fedWeights, base);
        } else {
            initialHead = null;
        }
        SecAggFedServer secure = null;
        if (scheme == Scheme.SL) {
            RelayServer relay = new RelayServer(fedWeights);
            fedServer = relay;
            fedControl = relay;
            fedGate = relay;
        } else if (config.secureAgg()) {
            secure = secureServer(config, fedWeights);
            fedServer = secure;
            fedControl = secure;
            fedGate = secure;
            optimizers.put(FED_OPTIMIZER, secure.optimizer());
        } else if (config.scaffold()) {
            FedAvgServer averaging = new FedAvgServer(fedWeights, aggregation(config), dp);
            ScaffoldServer scaffold = new ScaffoldServer(averaging, config.clients());
            fedServer = scaffold;
            fedControl = scaffold;
            fedGate = scaffold;
            optimizers.put(FED_OPTIMIZER, averaging.optimizer());
        } else {
            FedAvgServer averaging = config.fedBuff() != null
                    ? FedAvgServer.buffered(fedWeights, aggregation(config), config.fedBuff().lr())
                    : new FedAvgServer(fedWeights, aggregation(config), dp);
            fedServer = averaging;
            fedControl = averaging;
            fedGate = averaging;
            optimizers.put(FED_OPTIMIZER, averaging.optimizer());
        }
        if (!scheme.isSplit()) {
            mainServer = null;
        } else if (remoteMain != null) {
            if (config.fedBuff() != null) {
                throw new InvalidInputException("{async} needs the main server in the fed server's process");
            }
            // Its optimizer state lives in the main server's process, and is not checkpointed here.
            mainServer = remoteMain.apply(serverWeights);
        } else {
            SplitMainServer local = mainServer(config, architecture, serverWeights);
            mainServer = local;
            if (scheme == Scheme.SFLV1) {
                optimizers.put(MAIN_OPTIMIZER, local.optimizer());
            }
        }
        secureAggregation = secure;
        mainElsewhere = remoteMain != null && mainServer != null;
    }

    /**
     * Creates the main server a run's settings call for, wherever it runs (in the simulation's
     * process or in a process of its own): for {@code sflv1} a copy of W_S per client, aggregated
     * each round (under FedBuff, buffered per job), with FedProx and SCAFFOLD if asked; for
     * {@code sl} and {@code sflv2} one shared W_S.
     *
     * @param config the run, of a split scheme
     * @param architecture the network
     * @param serverWeights W_S to start from
     * @return the main server
     */
    public static SplitMainServer mainServer(SimulationConfig config, Architecture architecture, float[] serverWeights) {
        SplitLayout layout = SplitLayout.of(architecture, config.cut(), config.labels());
        if (config.fedBuff() != null) {
            return SplitMainServer.buffered(architecture, layout, serverWeights, config.optimizer(), aggregation(config),
                    config.proxMu(), config.fedBuff().lr());
        }
        if (config.scheme() == Scheme.SFLV1) {
            return SplitMainServer.perClient(architecture, layout, serverWeights, config.optimizer(), aggregation(config),
                    config.proxMu(), config.scaffold() ? config.clients() : 0);
        }
        return SplitMainServer.shared(architecture, layout, serverWeights, config.optimizer());
    }

    /**
     * Returns a fresh aggregation of the run's settings, for one server: the fed server's, or
     * SFLV1's main server's (which aggregates its copies of W_S the same way).
     *
     * @param config the run
     * @return an aggregation with its own optimizer state
     */
    public static Aggregation aggregation(SimulationConfig config) {
        return new Aggregation(config.aggregator().create(), config.strategy().newOptimizer());
    }

    private static SecAggFedServer secureServer(SimulationConfig config, float[] weights) {
        return new SecAggFedServer(
                weights, config.secureAggThreshold(), config.secureAggDropouts(), config.strategy().newOptimizer());
    }

    /**
     * Returns the state the servers of this process carry from round to round, for a checkpoint:
     * each server optimizer's by name ({@value #FED_OPTIMIZER}, {@value #MAIN_OPTIMIZER}), those
     * with none left out.
     */
    public SortedMap<String, float[]> state() {
        SortedMap<String, float[]> out = new TreeMap<>();
        optimizers.forEach((name, optimizer) -> {
            float[] state = optimizer.state();
            if (state.length > 0) {
                out.put(name, state);
            }
        });
        return out;
    }

    /**
     * Restores the state {@link #state()} returned. The state of a main server that now runs in
     * another process is dropped: that server starts its optimizer afresh.
     *
     * @param state by name
     * @throws InvalidInputException if it names a server this run does not have, or does not fit
     */
    public void restore(Map<String, float[]> state) {
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            ServerOptimizer optimizer = optimizers.get(e.getKey());
            if (optimizer != null) {
                optimizer.restore(e.getValue());
            } else if (!(e.getKey().equals(MAIN_OPTIMIZER) && mainElsewhere)) {
                throw new InvalidInputException("the checkpoint holds state for '" + e.getKey()
                        + "', which this run's servers do not keep (" + scheme.id() + ")");
            }
        }
    }

    /** Returns the scheme. */
    public Scheme scheme() {
        return scheme;
    }

    /** Returns the fed server. */
    public FedServer fedServer() {
        return fedServer;
    }

    /** Returns what the fed server expects of a submission, which a server on the network checks headers with. */
    public SubmissionGate submissions() {
        return fedGate;
    }

    /** Returns what secure aggregation expects of a masked input, or null when the run does not aggregate securely. */
    public SubmissionGate maskedInputs() {
        return secureAggregation == null ? null : secureAggregation::expectsMasked;
    }

    /**
     * Returns the fed server's half of secure aggregation, which clients reach through a transport,
     * or null when the run does not aggregate securely.
     */
    public SecAggServer secureAggregation() {
        return secureAggregation;
    }

    /**
     * Returns the head every client of a FedPer run starts from (the initial weights' last stage,
     * which the fed server never holds), or null when clients keep no personal head.
     */
    public float[] initialHead() {
        return initialHead == null ? null : initialHead.clone();
    }

    /** Returns the main server, or null when the scheme does not split the model. */
    public MainServerNode mainServer() {
        return mainServer;
    }

    public void beginRound(int round, List<Integer> participants) {
        for (RoundControl c : controls()) {
            c.beginRound(round, participants);
        }
    }

    /**
     * Drops a client that did not complete the round: whatever it contributed is left out of the
     * aggregates, and anything it sends later in the round is refused.
     *
     * @param clientId the client
     */
    public void dropped(int clientId) {
        for (RoundControl c : controls()) {
            c.discard(clientId);
        }
    }

    public void endRound() {
        for (RoundControl c : controls()) {
            c.endRound();
        }
    }

    /** Starts a client's FedBuff job on every server: it trains from the current global weights. */
    public void start(int clientId, int job) {
        for (RoundControl c : controls()) {
            ((AsyncControl) c).start(clientId, job);
        }
    }

    /** Buffers the work of a client whose FedBuff job is done, on every server. */
    public void arrived(int clientId) {
        for (RoundControl c : controls()) {
            ((AsyncControl) c).arrived(clientId);
        }
    }

    /** Has every server take a FedBuff step with the updates it buffered. */
    public void step() {
        for (RoundControl c : controls()) {
            ((AsyncControl) c).step();
        }
    }

    /**
     * Returns the global model in architecture order: client-side values, then server-side values
     * (with private labels: bottom, middle, head). With FedPer the head is the initial one, which
     * a newcomer would start from: the fed server holds no other.
     */
    public float[] globalWeights() {
        float[] fed = fedControl.globalWeights();
        if (initialHead != null) {
            fed = SplitModel.concat(fed, initialHead);
        }
        return mainServer == null ? fed : layout.whole(fed, mainServer.globalWeights());
    }

    private List<RoundControl> controls() {
        List<RoundControl> out = new ArrayList<>(List.of(fedControl));
        if (mainServer != null) {
            out.add(mainServer);
        }
        return out;
    }
}
