package dev.splitfed.internal.transport;

import dev.splitfed.compress.Codec;
import dev.splitfed.internal.compress.CodecFedServer;
import dev.splitfed.internal.compress.CodecMainServer;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.secagg.SecAggServer;

/**
 * Connects clients to servers in the same process by direct calls, counting every message's
 * payload as a network transport would carry it. With a lossy codec, the values pass through it
 * exactly as they would on the wire.
 */
public final class InProcessTransport implements Transport {

    private final TrafficMeter meter = new TrafficMeter();
    private final Codec codec;

    /** Creates a transport that hands float32 values over unchanged. */
    public InProcessTransport() {
        this(Codec.NONE);
    }

    /**
     * Creates a transport.
     *
     * @param codec how smashed data, cut-layer gradients and submitted weights are encoded
     */
    public InProcessTransport(Codec codec) {
        this.codec = codec;
    }

    @Override
    public MainServer connect(MainServer server) {
        return meter.count(codec.lossless() ? server : new CodecMainServer(server, codec), codec);
    }

    @Override
    public FedServer connect(FedServer server) {
        return meter.count(codec.lossless() ? server : new CodecFedServer(server, codec), codec);
    }

    @Override
    public SecAggServer connect(SecAggServer server) {
        return meter.count(server);
    }

    @Override
    public TrafficMeter meter() {
        return meter;
    }

    @Override
    public void close() {}
}
