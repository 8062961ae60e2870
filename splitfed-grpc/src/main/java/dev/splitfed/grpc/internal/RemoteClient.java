package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.TransportException;
import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.HeartbeatRequest;
import dev.splitfed.grpc.proto.JoinRequest;
import dev.splitfed.grpc.proto.RoundReport;
import dev.splitfed.grpc.proto.Task;
import dev.splitfed.grpc.proto.TaskRequest;
import dev.splitfed.internal.role.Client;
import dev.splitfed.internal.role.ClientReport;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.secagg.SecAggClient;
import dev.splitfed.internal.secagg.SecAggServer;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.proto.JoinReply;
import dev.splitfed.grpc.proto.ModelStageChunk;
import dev.splitfed.grpc.proto.ModelStagesRequest;
import dev.splitfed.model.TorchScriptModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client process's side of a deployment: joins the run, then waits for its turn, trains, and
 * reports, round after round, until the server says the run is over. It outlives a server restart
 * (it keeps asking) and a round it could not finish (it waits for the next).
 */
public final class RemoteClient {

    private final ManagedChannel channel;
    private final int clientId;
    // What this client declared at its last join, declared again if the server asks it to rejoin.
    private volatile long declared;
    private volatile boolean declaredOwn;
    private final Duration timeout;
    private final Duration giveUpAfter;
    private final PrintWriter log;

    /**
     * Creates the client side.
     *
     * @param channel the connection to the server
     * @param clientId this client's id (its certificate's common name is {@code client-<id>})
     * @param timeout how long one data call may take
     * @param giveUpAfter how long to keep trying while the server is unreachable
     * @param log where progress lines go
     */
    public RemoteClient(ManagedChannel channel, int clientId, Duration timeout, Duration giveUpAfter, PrintWriter log) {
        this.channel = channel;
        this.clientId = clientId;
        this.timeout = timeout;
        this.giveUpAfter = giveUpAfter;
        this.log = log;
    }

    /**
     * Returns the fed server as this client reaches it.
     *
     * @param codec how the run encodes submitted weights
     */
    public FedServer fedServer(Codec codec) {
        return new GrpcFedServer(channel, GrpcTransport.MAX_VALUES, timeout, codec);
    }

    /**
     * Returns the main server as this client reaches it.
     *
     * @param codec how the run encodes smashed data and cut-layer gradients
     */
    public MainServer mainServer(Codec codec) {
        return new GrpcMainServer(channel, timeout, codec);
    }

    /** Returns the fed server's half of secure aggregation as this client reaches it. */
    public SecAggServer secureAggregation() {
        return new GrpcSecAggServer(channel, timeout);
    }

    /**
     * Joins the run, retrying while the server is unreachable.
     *
     * @return the run's settings
     */
    public JoinReply join() {
        return join(0, false);
    }

    /**
     * Joins declaring this client's number of training samples: a client with data of its own
     * joins again once it has read its data, and the server bounds the sample count of its updates
     * by what it declares (see {@code Admission}).
     *
     * @param samples the training samples, or 0 for none declared
     * @param ownData whether they are data of the client's own rather than its share of the run's partition
     * @return the server's reply
     */
    public JoinReply join(long samples, boolean ownData) {
        declared = samples;
        declaredOwn = ownData;
        return retrying("joining", () -> CoordinatorServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .join(JoinRequest.newBuilder().setClientId(clientId).setSamples(samples).setOwnData(ownData).build()));
    }

    /** The largest stage file a client accepts: 2 GiB, far above any model a client trains. */
    static final long MAX_STAGE_BYTES = Integer.MAX_VALUE;

    /**
     * Receives the TorchScript stages this client trains into {@code dir}, checking each against
     * the digest the join announced: a stage not announced, more bytes than a stage announced, or
     * bytes whose SHA-256 is not the announced one are refused before anything is loaded.
     *
     * @param digests the stages and their SHA-256, as the join announced them
     * @param dir an empty directory of this client's own
     * @throws InvalidInputException if the server sends anything but the announced stages
     */
    public void receiveStages(Map<Integer, String> digests, Path dir) {
        retrying("receiving the model's stages", () -> {
            Iterator<ModelStageChunk> chunks = CoordinatorServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toSeconds(), TimeUnit.SECONDS)
                    .modelStages(ModelStagesRequest.newBuilder().setClientId(clientId).build());
            Map<Integer, byte[]> stages = new TreeMap<>();
            int stage = -1;
            long size = 0;
            // Grown as bytes arrive, not allocated at the announced size: an announcement costs nothing.
            ByteArrayOutputStream bytes = null;
            while (chunks.hasNext()) {
                ModelStageChunk chunk = chunks.next();
                if (bytes == null || bytes.size() == size) {
                    if (bytes != null) {
                        stages.put(stage, bytes.toByteArray());
                    }
                    stage = chunk.getStage();
                    if (!digests.containsKey(stage) || stages.containsKey(stage)) {
                        throw new InvalidInputException("the server sent stage " + stage + ", which it did not announce "
                                + "for this client (" + digests.keySet() + ")");
                    }
                    size = chunk.getSize();
                    if (size < 0 || size > MAX_STAGE_BYTES) {
                        throw new InvalidInputException("the server announced " + size + " bytes for stage " + stage
                                + "; a stage has 0 to " + MAX_STAGE_BYTES);
                    }
                    bytes = new ByteArrayOutputStream((int) Math.min(size, TensorChunks.BYTES_PER_CHUNK));
                }
                int n = chunk.getContent().size();
                if (n > size - bytes.size()) {
                    throw new InvalidInputException("the server sent more bytes for stage " + stage + " than the "
                            + size + " it announced");
                }
                try {
                    chunk.getContent().writeTo(bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (bytes != null && bytes.size() == size) {
                stages.put(stage, bytes.toByteArray());
            }
            if (!stages.keySet().equals(digests.keySet())) {
                throw new InvalidInputException("the server sent stages " + stages.keySet() + ", not the announced "
                        + digests.keySet());
            }
            for (Map.Entry<Integer, byte[]> e : stages.entrySet()) {
                String got = TorchScriptModel.sha256(e.getValue());
                if (!got.equals(digests.get(e.getKey()))) {
                    throw new InvalidInputException("stage " + e.getKey() + " as received has SHA-256 " + got
                            + ", not the announced " + digests.get(e.getKey()));
                }
            }
            // Written only once every stage has checked out.
            for (Map.Entry<Integer, byte[]> e : stages.entrySet()) {
                try {
                    Files.write(dir.resolve("stage" + e.getKey() + ".pt"), e.getValue());
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            }
            return stages.size();
        });
    }

    /**
     * Trains whenever it is this client's turn, until the run is over.
     *
     * @param client the training client, built from the run's settings
     * @return the number of rounds this client completed
     */
    public int run(Client client) {
        return run(client, null);
    }

    /**
     * Trains whenever it is this client's turn, and takes secure aggregation's phases around its
     * training when the server hands them out, until the run is over.
     *
     * @param client the training client, built from the run's settings
     * @param secure the client's half of secure aggregation, or null when the run has none
     * @return the number of rounds this client completed
     */
    public int run(Client client, SecAggClient secure) {
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "splitfed-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::beat, 0, Coordinator.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return train(client, secure);
        } finally {
            heartbeat.shutdownNow();
        }
    }

    // Best effort: a missed beat while the server restarts is made up by the next one.
    private void beat() {
        try {
            CoordinatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .heartbeat(HeartbeatRequest.newBuilder().setClientId(clientId).build());
        } catch (StatusRuntimeException e) {
            // the server is unreachable for now
        }
    }

    private int train(Client client, SecAggClient secure) {
        int last = 0;
        Task.Kind lastKind = Task.Kind.KIND_UNSPECIFIED;
        long epoch = 0;
        int completed = 0;
        while (true) {
            int after = last;
            Task.Kind afterKind = lastKind;
            long seen = epoch;
            Task task = retrying("waiting for a task", () -> CoordinatorServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(Coordinator.POLL.toSeconds() + 30, TimeUnit.SECONDS)
                    .awaitTask(TaskRequest.newBuilder().setClientId(clientId).setAfterRound(after).setAfterKind(afterKind)
                            .setEpoch(seen).build()));
            epoch = task.getEpoch();
            if (task.getKind() == Task.Kind.DONE) {
                log.printf("the run is over; client %d trained %d round(s)%n", clientId, completed);
                return completed;
            }
            Task.Kind kind = task.getKind();
            if (kind != Task.Kind.TRAIN && kind != Task.Kind.ADVERTISE_KEYS && kind != Task.Kind.SHARE_KEYS
                    && kind != Task.Kind.UNMASK) {
                continue;
            }
            int round = task.getRound();
            last = round;
            lastKind = kind;
            if (kind == Task.Kind.TRAIN) {
                log.printf("client %d training round %d%n", clientId, round);
                log.flush();
            }
            try {
                RoundReport.Builder report = RoundReport.newBuilder().setClientId(clientId).setRound(round).setKind(kind);
                if (kind == Task.Kind.TRAIN) {
                    if (task.getBatches() < 0) {
                        throw new InvalidInputException(
                                "the server asked for " + task.getBatches() + " batches; expected 0 (all) or more");
                    }
                    ClientReport trained = client.train(round, task.getBatches() == 0 ? Long.MAX_VALUE : task.getBatches());
                    report.setSamplesSeen(trained.samplesSeen()).setLossSum(trained.lossSum());
                } else {
                    secureStep(secure, kind, round);
                }
                CoordinatorServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .done(report.build());
                if (kind == Task.Kind.TRAIN) {
                    completed++;
                    log.printf("client %d finished round %d%n", clientId, round);
                }
            } catch (InvalidInputException | TransportException | StatusRuntimeException e) {
                // The round closed under us (deadline) or the server went away: wait for the next task.
                // A server that restarts from its checkpoint hands out the rounds it redoes again.
                log.printf("client %d could not finish round %d: %s%n", clientId, round, e.getMessage());
            }
            log.flush();
        }
    }

    /** Takes one of secure aggregation's phases (Bonawitz et al. 2017) around the round's training. */
    private void secureStep(SecAggClient secure, Task.Kind kind, int round) {
        if (secure == null) {
            throw new InvalidInputException("the server runs secure aggregation, but client " + clientId
                    + " was built without it");
        }
        switch (kind) {
            case ADVERTISE_KEYS -> secure.advertiseKeys(round);
            case SHARE_KEYS -> secure.shareKeys(round);
            case UNMASK -> secure.unmask(round);
            default -> throw new IllegalArgumentException("not a phase of secure aggregation: " + kind);
        }
    }

    private <T> T retrying(String what, Supplier<T> call) {
        long end = System.nanoTime() + giveUpAfter.toNanos();
        long backoff = 200;
        int rejoins = 0;
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (Admission.notJoined(e.getStatus()) && rejoins++ < 3) {
                    // A server restarted from its checkpoint knows no one: join it again, then retry.
                    log.printf("client %d joins the server again%n", clientId);
                    join(declared, declaredOwn);
                    continue;
                }
                RuntimeException mapped = Statuses.fromStatus("client " + clientId + " " + what, e);
                if (mapped instanceof InvalidInputException || System.nanoTime() > end) {
                    throw mapped;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw mapped;
                }
                backoff = Math.min(5000, backoff * 2);
            }
        }
    }
}
