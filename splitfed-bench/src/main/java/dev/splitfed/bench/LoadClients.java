package dev.splitfed.bench;

import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.TlsMaterial;
import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.DownloadRequest;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.JoinReply;
import dev.splitfed.grpc.proto.JoinRequest;
import dev.splitfed.grpc.proto.RoundReport;
import dev.splitfed.grpc.proto.SubmitReply;
import dev.splitfed.grpc.proto.Task;
import dev.splitfed.grpc.proto.TaskRequest;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many lightweight protocol clients in one JVM against one deployment server: each has its own
 * certificate and connection, joins, and then answers every task as a client that trains nothing
 * would — it downloads the round's weights and hands them back unchanged with its share of
 * samples, then reports the round done. What the server spends is then the protocol's cost per
 * connected client, not training.
 *
 * <p>The clients speak the protocol from the {@code .proto} with asynchronous stubs on one Netty
 * event loop and no threads of their own, so ten thousand fit in one JVM; they join 64 at a time
 * (ten thousand TLS handshakes at once time out on two cores). They send no heartbeat:
 * each always has a poll open, which is what keeps a client counted as connected.
 *
 * <pre>
 * ./splitfed certs --out /tmp/certs --clients 10000
 * ./splitfed server --port 7443 --certs /tmp/certs --clients 10000 --fraction 0.01 --min-clients 10000 ... &amp;
 * java -cp splitfed-bench/target/benchmarks.jar dev.splitfed.bench.LoadClients --server localhost:7443 \
 *     --certs /tmp/certs --clients 10000
 * </pre>
 *
 * <p>Prints, once every client has joined and again when the server says the run is over, one JSON
 * line: clients, joined, rounds trained, calls refused.
 */
public final class LoadClients {

    private static final String USAGE = "usage: LoadClients --server HOST:PORT --certs DIR --clients N [--first ID]";

    private final ManagedChannel[] channels;
    private final int first;
    private final AtomicInteger trained = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final CountDownLatch done;
    private final CountDownLatch joined;
    /** Joins in flight at once: ten thousand simultaneous TLS handshakes would time out on two cores. */
    private final Semaphore joining = new Semaphore(JOINS_IN_FLIGHT);
    private static final int JOINS_IN_FLIGHT = 64;

    private LoadClients(ManagedChannel[] channels, int first) {
        this.channels = channels;
        this.first = first;
        this.done = new CountDownLatch(channels.length);
        this.joined = new CountDownLatch(channels.length);
    }

    /**
     * Runs the clients until the server's run is over.
     *
     * @param args {@code --server HOST:PORT --certs DIR --clients N [--first ID]}
     */
    public static void main(String[] args) throws Exception {
        String server = null;
        Path certs = null;
        int clients = 0;
        int first = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--server" -> server = args[i + 1];
                case "--certs" -> certs = Path.of(args[i + 1]);
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--first" -> first = Integer.parseInt(args[i + 1]);
                default -> throw new InvalidInputException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        if (server == null || certs == null || clients < 1) {
            throw new InvalidInputException(USAGE);
        }
        String host = server.substring(0, server.lastIndexOf(':'));
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        EventLoopGroup loop = new NioEventLoopGroup(2);
        ManagedChannel[] channels = new ManagedChannel[clients];
        for (int k = 0; k < clients; k++) {
            TlsMaterial tls = TlsMaterial.read(certs, "client-" + (first + k));
            channels[k] = NettyChannelBuilder.forAddress(host, port, TlsMaterial.client(tls)).directExecutor()
                    .eventLoopGroup(loop).channelType(NioSocketChannel.class).build();
        }
        LoadClients load = new LoadClients(channels, first);
        long start = System.nanoTime();
        for (int k = 0; k < clients; k++) {
            load.joining.acquire();
            load.join(k);
        }
        load.joined.await();
        load.report("joined", start);
        load.done.await();
        load.report("done", start);
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private void report(String event, long start) {
        System.out.printf(Locale.ROOT, "{\"event\":\"%s\",\"clients\":%d,\"seconds\":%.1f,\"rounds_trained\":%d,"
                + "\"failed_calls\":%d}%n", event, channels.length, (System.nanoTime() - start) / 1e9, trained.get(),
                failures.get());
        System.out.flush();
    }

    private void join(int k) {
        int id = first + k;
        CoordinatorServiceGrpc.newStub(channels[k]).withDeadlineAfter(10, TimeUnit.MINUTES)
                .join(JoinRequest.newBuilder().setClientId(id).build(), new Unary<JoinReply>() {
                    @Override
                    void answered(JoinReply reply) {
                        joining.release();
                        joined.countDown();
                        poll(k, 0, Task.Kind.KIND_UNSPECIFIED, 0);
                    }

                    @Override
                    void failed(Throwable t) {
                        failures.incrementAndGet();
                        join(k);
                    }
                });
    }

    private void poll(int k, int after, Task.Kind afterKind, long epoch) {
        int id = first + k;
        CoordinatorServiceGrpc.newStub(channels[k]).withDeadlineAfter(60, TimeUnit.SECONDS)
                .awaitTask(TaskRequest.newBuilder().setClientId(id).setAfterRound(after).setAfterKind(afterKind)
                        .setEpoch(epoch).build(), new Unary<Task>() {
                            @Override
                            void answered(Task task) {
                                switch (task.getKind()) {
                                    case DONE -> done.countDown();
                                    case TRAIN -> echo(k, task);
                                    default -> poll(k, after, afterKind, task.getEpoch());
                                }
                            }

                            @Override
                            void failed(Throwable t) {
                                failures.incrementAndGet();
                                poll(k, after, afterKind, epoch);
                            }
                        });
    }

    /** Downloads the round's weights, submits them back unchanged, reports the round done, polls again. */
    private void echo(int k, Task task) {
        int id = first + k;
        int round = task.getRound();
        List<WeightsChunk> received = new ArrayList<>();
        FedServerServiceGrpc.newStub(channels[k]).withDeadlineAfter(60, TimeUnit.SECONDS)
                .download(DownloadRequest.newBuilder().setClientId(id).setRound(round).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(WeightsChunk chunk) {
                        received.add(chunk);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failures.incrementAndGet();
                        poll(k, round, Task.Kind.TRAIN, task.getEpoch());
                    }

                    @Override
                    public void onCompleted() {
                        submit(k, task, received);
                    }
                });
    }

    private void submit(int k, Task task, List<WeightsChunk> weights) {
        int id = first + k;
        int round = task.getRound();
        StreamObserver<WeightsChunk> up = FedServerServiceGrpc.newStub(channels[k]).withDeadlineAfter(60, TimeUnit.SECONDS)
                .submit(new Unary<SubmitReply>() {
                    @Override
                    void answered(SubmitReply reply) {
                        done(k, task);
                    }

                    @Override
                    void failed(Throwable t) {
                        failures.incrementAndGet();
                        poll(k, round, Task.Kind.TRAIN, task.getEpoch());
                    }
                });
        for (int i = 0; i < weights.size(); i++) {
            WeightsChunk chunk = weights.get(i);
            if (i == 0) {
                // The download's header names the round and the tensor; a submission adds the sample count.
                WeightsHeader header = chunk.getHeader().toBuilder().setClientId(id).setSamples(1).build();
                chunk = chunk.toBuilder().setHeader(header).build();
            }
            up.onNext(chunk);
        }
        up.onCompleted();
    }

    private void done(int k, Task task) {
        int id = first + k;
        CoordinatorServiceGrpc.newStub(channels[k]).withDeadlineAfter(60, TimeUnit.SECONDS)
                .done(RoundReport.newBuilder().setClientId(id).setRound(task.getRound()).setKind(Task.Kind.TRAIN)
                        .setSamplesSeen(1).setLossSum(1).build(), new Unary<>() {
                            @Override
                            void answered(dev.splitfed.grpc.proto.DoneReply reply) {
                                trained.incrementAndGet();
                                poll(k, task.getRound(), Task.Kind.TRAIN, task.getEpoch());
                            }

                            @Override
                            void failed(Throwable t) {
                                failures.incrementAndGet();
                                poll(k, task.getRound(), Task.Kind.TRAIN, task.getEpoch());
                            }
                        });
    }

    /** A unary answer: exactly one of {@link #answered} or {@link #failed}. */
    private abstract static class Unary<T> implements StreamObserver<T> {
        private T value;

        abstract void answered(T value);

        abstract void failed(Throwable t);

        @Override
        public void onNext(T v) {
            value = v;
        }

        @Override
        public void onError(Throwable t) {
            failed(t);
        }

        @Override
        public void onCompleted() {
            answered(value);
        }
    }
}
