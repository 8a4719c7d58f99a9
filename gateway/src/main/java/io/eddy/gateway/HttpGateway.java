package io.eddy.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * The single HTTP endpoint every service shares. Netty's event loop only parses and writes; each
 * request is answered on its own virtual thread, so endpoints may block (long polls, locks, disk).
 * A connection's requests are answered one after the other, which keeps responses in request order
 * for clients that pipeline.
 */
public final class HttpGateway implements AutoCloseable {

    /**
     * One thread accepts, reads and writes every connection. Its work per request is small next to
     * the answer's, and each extra thread would cost a wake-up per hand-off instead of finding the
     * loop already awake.
     */
    private final EventLoopGroup eventLoop = new NioEventLoopGroup(1);
    private final ExecutorService requestThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Router router;
    private final RequestLog requestLog;
    private final int maxBodyBytes;
    private final Channel serverChannel;
    /** Open once every endpoint is registered; requests that arrive earlier wait for it. */
    private final CountDownLatch opened = new CountDownLatch(1);

    private HttpGateway(String host, int port, Router router, RequestLog requestLog, int maxBodyBytes) {
        this.router = router;
        this.requestLog = requestLog;
        this.maxBodyBytes = maxBodyBytes;
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(eventLoop)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec(8192, 65536, 65536))
                                    .addLast(new BodySizeLimit(HttpGateway.this.maxBodyBytes))
                                    .addLast(new RequestHandler());
                        }
                    })
                    .bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Binds {@code host:port} (0 picks a free port) and accepts connections; their requests are answered
     * once {@link #open()} is called. Binding can then overlap with building the services the router
     * leads to.
     */
    public static HttpGateway bind(String host, int port, Router router, RequestLog requestLog, int maxBodyBytes) {
        return new HttpGateway(host, port, router, requestLog, maxBodyBytes);
    }

    /** Starts answering, the requests that waited first. */
    public void open() {
        opened.countDown();
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) serverChannel.close().syncUninterruptibly();
        eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        requestThreads.shutdownNow();
    }

    /**
     * Answers a connection's last response and closes it without cutting off a client that is still
     * sending: the answer is followed by the end of output, whatever else arrives is read and dropped,
     * and the connection closes when the client closes its side or after a grace period. Closing with
     * unread input would reset the connection and could cost the client the answer.
     */
    static void answerAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        Channel channel = ctx.channel();
        channel.pipeline().addFirst(new DiscardInbound());
        channel.config().setAutoRead(true);
        channel.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !(channel instanceof SocketChannel socket)) {
                channel.close();
                return;
            }
            socket.shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        });
    }

    /** How long a connection that was answered for the last time may keep sending before it is closed. */
    private static final long CLOSE_GRACE_SECONDS = 10;

    /** Drops everything a connection sends after its last answer. */
    private static final class DiscardInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Aggregates each request's body up to the limit. A body over it gets a 413 in AWS's JSON error
     * shape and ends the connection; a client that announced it with {@code Expect: 100-continue}
     * gets the 413 instead of the go-ahead, before it sends the body.
     */
    private static final class BodySizeLimit extends HttpObjectAggregator {
        private final int maxBodyBytes;

        BodySizeLimit(int maxBodyBytes) {
            super(maxBodyBytes, true);
            this.maxBodyBytes = maxBodyBytes;
        }

        private FullHttpResponse tooLarge() {
            String body = "{\"__type\":\"RequestEntityTooLarge\",\"message\":\"Request must be smaller than "
                    + maxBodyBytes + " bytes\"}";
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            response.headers().set("x-amzn-RequestId", RequestIds.next());
            return response;
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            Object response = super.newContinueResponse(start, maxContentLength, pipeline);
            if (response instanceof FullHttpResponse full && full.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
                full.release();
                return tooLarge();
            }
            return response;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            answerAndClose(ctx, tooLarge());
        }
    }

    /**
     * Answers the requests of one connection one at a time, in arrival order. Its state is only
     * touched on the connection's event loop. Requests a client pipelines while one is being answered
     * wait here; past {@link #MAX_WAITING} the connection stops reading until they drain.
     */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private static final int MAX_WAITING = 16;

        /** A received request; {@code request} is null for one that could not be parsed. */
        private record Received(GatewayRequest request, boolean keepAlive, long started) {
        }

        private final ArrayDeque<Received> waiting = new ArrayDeque<>();
        private boolean answering;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            long started = System.nanoTime();
            Received received = msg.decoderResult().isFailure() ? new Received(null, false, started)
                    : new Received(toGatewayRequest(msg), HttpUtil.isKeepAlive(msg), started);
            if (answering) {
                waiting.add(received);
                if (waiting.size() >= MAX_WAITING) ctx.channel().config().setAutoRead(false);
            } else {
                answer(ctx, received);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void answer(ChannelHandlerContext ctx, Received received) {
            answering = true;
            if (received.request() == null) {
                writeAndClose(ctx, GatewayResponse.json(400,
                        "{\"__type\":\"BadRequest\",\"message\":\"Malformed HTTP request\"}"));
                return;
            }
            requestThreads.execute(() -> {
                GatewayRequest request = received.request();
                awaitOpen();
                GatewayResponse response = answer(request);
                // One task for the whole write: the event loop then writes without further hand-offs.
                ctx.executor().execute(() -> write(ctx, response, request.context().requestId(), received.keepAlive()));
                requestLog.log(request, response, System.nanoTime() - received.started());
            });
        }

        private void awaitOpen() {
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private GatewayRequest toGatewayRequest(FullHttpRequest msg) {
            QueryStringDecoder query = new QueryStringDecoder(msg.uri());
            byte[] body = ByteBufUtil.getBytes(msg.content());
            CredentialScope scope = CredentialScope.parse(
                    msg.headers().get(HttpHeaderNames.AUTHORIZATION),
                    first(query.parameters(), "X-Amz-Credential"));
            String host = msg.headers().get(HttpHeaderNames.HOST);
            RequestContext context = new RequestContext(
                    scope == null ? CredentialScope.DEFAULT_ACCOUNT : scope.accountId(),
                    scope == null || scope.region().isEmpty() ? CredentialScope.DEFAULT_REGION : scope.region(),
                    RequestIds.next(),
                    host == null ? "localhost" : host);
            // The headers are plain objects that outlive the released message, so they need no copy.
            return new GatewayRequest(msg.method().name(), msg.uri(), query.path(), query.parameters(),
                    msg.headers(), body, scope, context);
        }

        private GatewayResponse answer(GatewayRequest request) {
            try {
                Endpoint endpoint = router.route(request);
                if (endpoint == null) {
                    return GatewayResponse.json(404, "{\"__type\":\"UnknownService\",\"message\":"
                            + "\"No service of Eddy handles this request\"}");
                }
                return endpoint.handle(request);
            } catch (Throwable t) {
                String message = String.valueOf(t.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"");
                return GatewayResponse.json(500, "{\"__type\":\"InternalFailure\",\"message\":\"" + message + "\"}");
            }
        }

        /** Runs on the event loop; answers the next waiting request once this response is written. */
        private void write(ChannelHandlerContext ctx, GatewayResponse response, String requestId, boolean keepAlive) {
            FullHttpResponse http = toHttp(response, requestId);
            if (keepAlive) {
                http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(http).addListener(f -> answerNext(ctx));
            } else {
                http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void answerNext(ChannelHandlerContext ctx) {
            answering = false;
            Received next = waiting.poll();
            if (next != null) answer(ctx, next);
            if (waiting.size() < MAX_WAITING && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        private void writeAndClose(ChannelHandlerContext ctx, GatewayResponse response) {
            answerAndClose(ctx, toHttp(response, RequestIds.next()));
        }

        private FullHttpResponse toHttp(GatewayResponse response, String requestId) {
            ByteBuf content = Unpooled.wrappedBuffer(response.body());
            FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(response.status()), content);
            for (Map.Entry<String, String> h : response.headers().entrySet()) {
                http.headers().set(h.getKey(), h.getValue());
            }
            if (!http.headers().contains("x-amzn-RequestId")) http.headers().set("x-amzn-RequestId", requestId);
            http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            return http;
        }
    }

    private static String first(Map<String, java.util.List<String>> params, String name) {
        java.util.List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
