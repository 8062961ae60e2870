package dev.splitfed.grpc.internal;

import io.grpc.Status;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * What a deployment's server lets each client do, decided from what the server knows rather than
 * from what the client claims: whether it has joined, how many samples may weigh its update, and
 * whether it handed in a valid update in a round.
 *
 * <p>Every call but {@code Join} from a client that has not joined is refused with
 * FAILED_PRECONDITION. The sample count that weights a client in FedAvg is bounded when it joins:
 * by the size of its part of the partition when it trains on that, or, for a client with data of
 * its own (a run with a data schema, or a client that says so at join), by the count it declares
 * at join, itself at most {@code maxDeclared}. A
 * round's report counts only for a client whose update the server accepted in that round.
 *
 * <p>Thread-safe; every operation is a few bookkeeping steps on the client's own entry.
 */
public final class Admission {

    /** The default bound on what a client with data of its own may declare: ten million samples. */
    public static final long DEFAULT_MAX_CLIENT_SAMPLES = 10_000_000L;

    private static final String NOT_JOINED = " has not joined; call Join first";

    /** Returns whether a status is the refusal of a call from a client that has not joined. */
    static boolean notJoined(Status status) {
        return status.getCode() == Status.Code.FAILED_PRECONDITION && status.getDescription() != null
                && status.getDescription().endsWith(NOT_JOINED);
    }

    private final int clients;
    private final long[] partitionSizes;
    private final long maxDeclared;
    private final BitSet joined;
    private final long[] declared;
    // Clients that said they train on data of their own: their declaration bounds them.
    private final BitSet own;
    private final Set<Long> handedIn = new HashSet<>();

    /**
     * Creates the book of a run's clients.
     *
     * @param partitionSizes each client's number of training samples where the server partitions
     *     the data; an entry of 0, or null for all, where a client brings its own data
     * @param clients the number of clients
     * @param maxDeclared the most samples a client with its own data may declare
     */
    public Admission(int clients, long[] partitionSizes, long maxDeclared) {
        if (partitionSizes != null && partitionSizes.length != clients) {
            throw new IllegalArgumentException("partition sizes for " + partitionSizes.length + " clients, not " + clients);
        }
        this.clients = clients;
        this.partitionSizes = partitionSizes == null ? new long[clients] : partitionSizes.clone();
        this.maxDeclared = maxDeclared;
        this.joined = new BitSet(clients);
        this.declared = new long[clients];
        this.own = new BitSet(clients);
    }

    /**
     * Records a join, with the number of training samples the client declares (0: none declared)
     * and whether it trains on data of its own. A client with data of its own fixes its count with
     * its first declaration; it may join again (after a restart) but not change it.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a count outside the bound
     */
    public synchronized void join(int clientId, long samples, boolean ownData) {
        if (samples < 0) {
            throw TensorChunks.invalid("client " + clientId + " declared " + samples + " samples");
        }
        if (ownData) {
            own.set(clientId);
        }
        if (samples > 0 && (own.get(clientId) || partitionSizes[clientId] == 0)) {
            if (samples > maxDeclared) {
                throw TensorChunks.invalid("client " + clientId + " declared " + samples
                        + " training samples; this server accepts at most " + maxDeclared + " ({max-client-samples})");
            }
            if (declared[clientId] != 0 && declared[clientId] != samples) {
                throw TensorChunks.invalid("client " + clientId + " declared " + samples + " training samples, "
                        + "but joined with " + declared[clientId] + " before; a client's count is fixed when it first joins");
            }
            declared[clientId] = samples;
        }
        joined.set(clientId);
    }

    /**
     * Refuses a call from a client that has not joined.
     *
     * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION if it has not
     */
    public synchronized void requireJoined(int clientId) {
        if (clientId < 0 || clientId >= clients || !joined.get(clientId)) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("client " + clientId + NOT_JOINED)
                    .asRuntimeException();
        }
    }

    /**
     * Returns the most samples that may weigh the client's update: its part of the partition, or
     * what it declared at join.
     *
     * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION for a client with data of its own
     *     that declared no count
     */
    public synchronized long samplesBound(int clientId) {
        if (partitionSizes[clientId] > 0 && !own.get(clientId)) {
            return partitionSizes[clientId];
        }
        if (declared[clientId] == 0) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("client " + clientId + " declared no training samples when it joined")
                    .asRuntimeException();
        }
        return declared[clientId];
    }

    /**
     * Checks the sample count a client's update claims.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT outside {@code [1, samplesBound]}
     */
    public void checkSamples(int clientId, long samples) {
        long bound = samplesBound(clientId);
        if (samples < 1 || samples > bound) {
            throw TensorChunks.invalid("client " + clientId + " claims " + samples + " samples for its update; "
                    + "it may claim 1 to " + bound);
        }
    }

    /** Records that the server accepted the client's update in the round. */
    public synchronized void handedIn(int clientId, int round) {
        handedIn.add(key(clientId, round));
    }

    /** Returns whether the server accepted an update of the client's in the round. */
    public synchronized boolean hasHandedIn(int clientId, int round) {
        return handedIn.contains(key(clientId, round));
    }

    /** Forgets the updates of rounds before {@code round}, which no report can name any more. */
    public synchronized void roundStarted(int round) {
        handedIn.removeIf(k -> (int) (k >>> 32) < round);
    }

    private static long key(int clientId, int round) {
        return ((long) round << 32) | (clientId & 0xffffffffL);
    }
}
