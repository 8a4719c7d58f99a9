package io.eddy.server;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.gateway.RequestLog;

/**
 * One INFO line per request, written by a background thread so that request threads never wait on
 * the terminal. When the terminal falls behind, lines are dropped rather than slowing the server.
 */
final class ConsoleRequestLog implements RequestLog, AutoCloseable {

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(16_384);
    private final Thread writer;

    ConsoleRequestLog(PrintStream out) {
        writer = Thread.ofPlatform().daemon().name("eddy-request-log").start(() -> {
            try {
                while (true) {
                    out.println(lines.take());
                    String next;
                    while ((next = lines.poll()) != null) out.println(next);
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void log(GatewayRequest request, GatewayResponse response, long elapsedNanos) {
        String service = request.scope() == null ? "-" : request.scope().service();
        String operation = response.operation() == null ? request.method() + " " + request.path() : response.operation();
        lines.offer(String.format("%s INFO %s %s %s %d %.2fms %s", Instant.now(), request.context().accountId(),
                service, operation, response.status(), elapsedNanos / 1e6, request.context().requestId()));
    }

    @Override
    public void close() {
        writer.interrupt();
    }
}
