package dev.splitfed.grpc.internal;

import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Collections;
import java.util.Iterator;

/**
 * Sends a stream's messages only as fast as the receiver takes them (gRPC's flow control): it
 * writes while the call is ready and resumes from the call's on-ready callback, so a large model
 * never piles up in memory on the sending side. A stream that stays open (a client's batches in a
 * round) is fed one group of messages at a time.
 *
 * @param <T> the message type
 */
public final class FlowControlledSender<T> implements Runnable {

    private final CallStreamObserver<T> call;
    private Iterator<T> messages = Collections.emptyIterator();
    private boolean completing;
    private boolean completed;

    /**
     * Installs the sender on a call. gRPC allows this only before the call starts (client side, in
     * {@code beforeStart}) or during the service method (server side).
     *
     * @param call the outbound side of the call
     */
    FlowControlledSender(CallStreamObserver<T> call) {
        this.call = call;
        call.setOnReadyHandler(this);
        if (call instanceof ServerCallStreamObserver<T> server) {
            // A cancelled call (the client went away) must not keep the rest of a model in memory.
            server.setOnCancelHandler(this::cancelled);
        }
    }

    private synchronized void cancelled() {
        messages = Collections.emptyIterator();
        completed = true;
    }

    /**
     * Sends {@code messages}, in order, then completes the stream; for a call that has started.
     *
     * @param messages what to send
     */
    synchronized void start(Iterator<T> messages) {
        this.messages = messages;
        this.completing = true;
        run();
    }

    /**
     * Sends {@code messages} once the call is ready, then completes the stream; for a client call
     * that has not started yet (gRPC calls the on-ready handler when it has).
     *
     * @param messages what to send
     */
    synchronized void queue(Iterator<T> messages) {
        this.messages = messages;
        this.completing = true;
    }

    /**
     * Sends {@code messages}, in order, after those fed before, and keeps the stream open.
     *
     * @param messages what to send; the stream's earlier messages must have been sent
     */
    synchronized void feed(Iterator<T> messages) {
        if (this.messages.hasNext()) {
            throw new IllegalStateException("the previous messages are still being sent");
        }
        this.messages = messages;
        run();
    }

    /** Returns whether messages fed earlier still wait to be sent. */
    synchronized boolean sending() {
        return !completed && messages.hasNext();
    }

    /** Completes the stream once the messages fed so far are sent. */
    synchronized void finish() {
        completing = true;
        run();
    }

    @Override
    public synchronized void run() {
        if (completed) {
            return;
        }
        while (call.isReady() && messages.hasNext()) {
            call.onNext(messages.next());
        }
        if (completing && !messages.hasNext()) {
            completed = true;
            call.onCompleted();
        }
    }
}
