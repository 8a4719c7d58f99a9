package io.eddy.lambda.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * A runtime's connection to the Runtime API. The answer to {@code GET /next} may be written straight to
 * the socket by the thread that delivers the event, instead of being handed to the event loop: on a small
 * machine that hand-off wakes a sleeping thread, a good part of a millisecond on the path from a
 * table write to the handler. Only that answer goes this way, and only while Netty has nothing queued
 * for the connection: the runtime is then waiting for it and sends nothing else.
 */
final class RuntimeConnection extends NioSocketChannel {

    RuntimeConnection(Channel parent, SocketChannel socket) {
        super(parent, socket);
    }

    /**
     * Writes as much of {@code buffers} as the socket takes now, without blocking; what is left stays in the
     * buffers for the caller to send through the pipeline. False when Netty has writes of its own pending,
     * and nothing was written.
     */
    boolean writeNow(ByteBuffer... buffers) throws IOException {
        ChannelOutboundBuffer pending = unsafe().outboundBuffer();
        if (pending == null || !pending.isEmpty() || pending.totalPendingWriteBytes() != 0) return false;
        javaChannel().write(buffers);
        return true;
    }

    /** The listening side, accepting {@link RuntimeConnection}s. */
    static final class Listener extends NioServerSocketChannel {

        Listener(java.nio.channels.ServerSocketChannel socket) {
            super(socket);
        }

        @Override
        protected int doReadMessages(List<Object> accepted) throws Exception {
            SocketChannel socket = javaChannel().accept();
            if (socket == null) return 0;
            try {
                accepted.add(new RuntimeConnection(this, socket));
                return 1;
            } catch (RuntimeException e) {
                // a connection that cannot be set up is dropped; the listener keeps accepting
                socket.close();
                return 0;
            }
        }
    }
}
