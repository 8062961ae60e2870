package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.TransportException;
import com.google.protobuf.ByteString;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.MainServerServiceGrpc;
import dev.splitfed.grpc.proto.StepChunk;
import dev.splitfed.grpc.proto.StepHeader;
import dev.splitfed.grpc.proto.StepKind;
import dev.splitfed.internal.role.ForwardBackwardPairing;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.transport.Tensor;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote main server as a client calls it: the {@link MainServer} interface over gRPC. A
 * client's batches in a round share one stream, so a batch costs one message each way rather than
 * a call (two each way with private labels: the forward and the backward exchange).
 */
public final class GrpcMainServer implements MainServer, AutoCloseable {

    private final Channel channel;
    private final Duration timeout;
    private static final Logger LOG = LoggerFactory.getLogger(GrpcMainServer.class);

    private final Codec codec;
    private final WaitingThreadExecutor runner;
    private final Map<Integer, Session> sessions = new HashMap<>();

    /**
     * Creates the stub.
     *
     * @param channel the connection to the main server
     * @param timeout how long one batch may take
     * @param codec how smashed data and gradients are encoded
     */
    public GrpcMainServer(Channel channel, Duration timeout, Codec codec) {
        this(channel, timeout, codec, null);
    }

    /**
     * Creates a stub whose waits run {@code runner}'s work (a main server in the same process).
     *
     * @param runner the executor of the channel's callbacks and the main server's calls, or null
     */
    GrpcMainServer(Channel channel, Duration timeout, Codec codec, WaitingThreadExecutor runner) {
        this.channel = channel;
        this.timeout = timeout;
        this.codec = codec;
        this.runner = runner;
    }

    @Override
    public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
        Reply reply = session(clientId, round).exchange(StepKind.LABELLED_STEP, smashed, labels, smashed.shape(), 0);
        return new StepResult(reply.tensor(), reply.loss());
    }

    @Override
    public Tensor forward(int clientId, int round, Tensor smashed) {
        Session session = session(clientId, round);
        Tensor middle = session.exchange(StepKind.FORWARD, smashed, new int[0], null, smashed.rows()).tensor();
        session.pairing.forwarded(clientId, smashed.shape(), middle.shape(), null);
        return middle;
    }

    @Override
    public Tensor backward(int clientId, int round, Tensor gradient) {
        Session session = session(clientId, round);
        ForwardBackwardPairing.Forward<Void> forward = session.pairing.clear(clientId);
        if (forward == null) {
            // The stream broke after the forward: the main server dropped the batch with it.
            throw new TransportException("client " + clientId + "'s stream to the main server closed between a batch's "
                    + "forward and backward in round " + round, null);
        }
        return session.exchange(StepKind.BACKWARD, gradient, new int[0], forward.smashedShape(), 0).tensor();
    }

    /** Returns the client's stream for the round, opening a new one if there is none or it broke. */
    private synchronized Session session(int clientId, int round) {
        Session session = sessions.get(clientId);
        if (session != null && (session.round != round || session.broken())) {
            session.cancel();
            session = null;
        }
        if (session == null) {
            session = new Session(clientId, round);
            sessions.put(clientId, session);
        }
        return session;
    }

    /**
     * Ends the client's stream once the main server has answered its last batch. Every batch has
     * been answered by then, so a stream that fails to close costs nothing: it is cancelled and
     * the failure logged, not thrown.
     */
    @Override
    public void finished(int clientId, int round) {
        Session session;
        synchronized (this) {
            session = sessions.remove(clientId);
        }
        if (session == null) {
            return;
        }
        if (session.broken()) {
            session.cancel();
            return;
        }
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.warn("client {}'s stream of round {} did not close cleanly: {}", clientId, round, e.getMessage());
            session.cancel();
        }
    }

    /** Cancels every open stream. */
    @Override
    public synchronized void close() {
        sessions.values().forEach(Session::cancel);
        sessions.clear();
    }

    /** One client's stream in one round: a batch goes up, its gradient comes back, and so on. */
    private final class Session implements ClientResponseObserver<StepChunk, StepChunk> {
        final int clientId;
        final int round;
        private ClientCallStreamObserver<StepChunk> call;
        private FlowControlledSender<StepChunk> sender;
        private volatile CompletableFuture<Reply> pending = CompletableFuture.completedFuture(null);
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private volatile boolean broken;
        private volatile StepKind kind;
        private volatile int[] expectedShape;
        private volatile int expectedRows;
        // With private labels: the batch whose backward comes next; the client's own thread alone uses it.
        final ForwardBackwardPairing<Void> pairing = new ForwardBackwardPairing<>();
        private StepHeader header;
        private TensorChunks.Assembler values;

        Session(int clientId, int round) {
            this.clientId = clientId;
            this.round = round;
            MainServerServiceGrpc.newStub(channel).step(this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StepChunk> requests) {
            call = requests;
            sender = new FlowControlledSender<>(requests);
        }

        boolean broken() {
            return broken;
        }

        /**
         * Sends one tensor and waits for the answer: of exactly {@code shape} if given, else of
         * {@code rows} rows.
         */
        Reply exchange(StepKind requestKind, Tensor tensor, int[] labels, int[] shape, int rows) {
            List<StepChunk> request = new ArrayList<>();
            for (ByteString values : TensorChunks.split(codec.encode(tensor.data()))) {
                StepChunk.Builder chunk = StepChunk.newBuilder().setValues(values);
                if (request.isEmpty()) {
                    StepHeader.Builder batch = StepHeader.newBuilder()
                            .setClientId(clientId)
                            .setRound(round)
                            .setKind(requestKind)
                            .setTensor(TensorChunks.header(tensor.shape(), codec));
                    for (int label : labels) {
                        batch.addLabels(label);
                    }
                    chunk.setHeader(batch);
                }
                request.add(chunk.build());
            }
            CompletableFuture<Reply> answer = new CompletableFuture<>();
            kind = requestKind;
            expectedShape = shape;
            expectedRows = rows;
            pending = answer;
            if (broken) {
                answer.completeExceptionally(new IllegalStateException("the stream is closed"));
            } else {
                sender.feed(request.iterator());
            }
            String what = "client " + clientId + "'s batch in round " + round;
            try {
                return Calls.await(answer, timeout.toMillis(), what, runner);
            } catch (TimeoutException e) {
                cancel();
                throw new TransportException(what + " got no answer within " + timeout.toSeconds() + " s", e);
            }
        }

        @Override
        public void onNext(StepChunk chunk) {
            try {
                if (values == null) {
                    if (!chunk.hasHeader()) {
                        throw TensorChunks.invalid("the main server's answer lacks its header");
                    }
                    header = chunk.getHeader();
                    values = answer(header);
                }
                values.add(chunk.getValues());
                if (values.complete()) {
                    TensorChunks.Assembler done = values;
                    values = null;
                    pending.complete(new Reply(new Tensor(done.shape(), done.decode()), header.getLoss()));
                }
            } catch (RuntimeException e) {
                fail(e);
                call.cancel("the main server's answer is malformed", e);
            }
        }

        /** Checks an answer's header against the request before taking its bytes. */
        private TensorChunks.Assembler answer(StepHeader answer) {
            String what = kind == StepKind.FORWARD ? "the main server's middle output" : "the main server's cut-layer gradients";
            if (answer.getKind() != kind) {
                throw TensorChunks.invalid("the main server answered a " + kind + " with a " + answer.getKind());
            }
            int[] shape = answer.getTensor().getShapeList().stream().mapToInt(Integer::intValue).toArray();
            if (expectedShape != null ? !Arrays.equals(shape, expectedShape) : shape.length < 2 || shape[0] != expectedRows) {
                throw TensorChunks.invalid(what + " have shape " + Arrays.toString(shape) + ", expected "
                        + (expectedShape != null ? Arrays.toString(expectedShape) : "[" + expectedRows + ", ...]"));
            }
            long bound = 1;
            if (expectedShape != null) {
                for (int d : expectedShape) {
                    bound *= d;
                }
            } else {
                bound = GrpcTransport.MAX_VALUES;
            }
            return new TensorChunks.Assembler(answer.getTensor(), codec, bound, what);
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
            ended.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            fail(TensorChunks.invalid("the main server closed the stream"));
            ended.complete(null);
        }

        private void fail(Throwable t) {
            broken = true;
            pending.completeExceptionally(t);
        }

        /** Half-closes the stream and waits until the main server has closed its side. */
        void close() {
            broken = true;
            sender.finish();
            String what = "closing client " + clientId + "'s stream of round " + round;
            try {
                Calls.await(ended, timeout.toMillis(), what, runner);
            } catch (TimeoutException e) {
                cancel();
                throw new TransportException(what + " got no answer within " + timeout.toSeconds() + " s", e);
            }
        }

        void cancel() {
            broken = true;
            call.cancel("the client gave up the stream", null);
        }
    }

    /** An answer on the stream: a tensor, with the loss for a labelled step. */
    private record Reply(Tensor tensor, float loss) {}
}
