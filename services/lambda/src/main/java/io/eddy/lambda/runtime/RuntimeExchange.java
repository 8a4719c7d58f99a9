package io.eddy.lambda.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** One Runtime API request waiting for its answer; may be answered from any thread. */
final class RuntimeExchange {

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;

    RuntimeExchange(ChannelHandlerContext ctx, boolean keepAlive) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
    }

    boolean isOpen() {
        return ctx.channel().isActive();
    }

    void replyJson(int status, String json) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        send(response);
    }

    /**
     * Answers {@code GET /runtime/invocation/next} with the event. The delivering thread writes it to the
     * socket itself when it can (see {@link RuntimeConnection}); whatever the socket does not take at once
     * follows through the pipeline, after the encoder, as the raw bytes they are.
     */
    void deliver(Invocation invocation) {
        StringBuilder head = new StringBuilder(512)
                .append("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n")
                .append("Lambda-Runtime-Aws-Request-Id: ").append(invocation.requestId()).append("\r\n")
                .append("Lambda-Runtime-Deadline-Ms: ").append(invocation.deadlineEpochMillis()).append("\r\n")
                .append("Lambda-Runtime-Invoked-Function-Arn: ").append(invocation.invokedFunctionArn()).append("\r\n")
                .append("Lambda-Runtime-Trace-Id: ").append(invocation.traceId()).append("\r\n");
        if (invocation.clientContext() != null) {
            head.append("Lambda-Runtime-Client-Context: ").append(headerValue(invocation.clientContext())).append("\r\n");
        }
        if (invocation.cognitoIdentity() != null) {
            head.append("Lambda-Runtime-Cognito-Identity: ").append(headerValue(invocation.cognitoIdentity())).append("\r\n");
        }
        head.append("content-length: ").append(invocation.payload().length).append("\r\n")
                .append(keepAlive ? "connection: keep-alive" : "connection: close").append("\r\n\r\n");
        ByteBuffer[] response = {ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(invocation.payload())};
        if (keepAlive && ctx.channel() instanceof RuntimeConnection connection) {
            try {
                if (connection.writeNow(response)) {
                    if (response[0].hasRemaining() || response[1].hasRemaining()) writeRaw(response, true);
                    return;
                }
            } catch (IOException e) {
                ctx.close();
                return;
            }
        }
        writeRaw(response, keepAlive);
    }

    /**
     * A JSON document as one header line: line breaks (whitespace to JSON, as raw breaks cannot occur
     * inside its strings) become spaces, so a pretty-printed client context cannot end the header early.
     */
    private static String headerValue(String json) {
        return json.replace('\r', ' ').replace('\n', ' ');
    }

    /** Bytes already encoded as HTTP, written past the encoder; nothing to do once the connection is gone. */
    private void writeRaw(ByteBuffer[] bytes, boolean keepOpen) {
        ChannelHandlerContext encoder = ctx.pipeline().context(HttpResponseEncoder.class);
        if (encoder == null) return;
        ChannelFuture written = encoder.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        if (!keepOpen) written.addListener(ChannelFutureListener.CLOSE);
    }

    private void send(FullHttpResponse response) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
