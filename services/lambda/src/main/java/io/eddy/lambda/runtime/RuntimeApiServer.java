package io.eddy.lambda.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Serves the Lambda Runtime API. Each execution environment gets its own listener on 127.0.0.1 and
 * a free port, so {@code AWS_LAMBDA_RUNTIME_API} is a plain {@code host:port} as on AWS (runtimes
 * such as Rust's build URLs from an authority and would drop a path prefix). All listeners share
 * one small event loop group; the per-listener cost is a bound socket.
 */
public final class RuntimeApiServer implements AutoCloseable {

    /** Lambda's response limit: 100 bytes over 6 MiB, as its error message and measurements show. */
    public static final int MAX_RESPONSE_BYTES = 6_291_556;

    private static final Pattern INVOCATION_CALL =
            Pattern.compile("/2018-06-01/runtime/invocation/([^/]+)/(response|error)");

    private final EventLoopGroup group = new NioEventLoopGroup(2);

    /**
     * Binds a listener for one environment; close the returned channel to stop it. The socket is bound
     * on the calling thread and handed to the event loop without waiting: connections that arrive
     * before the event loop takes it over wait in the socket's backlog.
     */
    Channel bind(RuntimeApi api) {
        ServerSocketChannel socket;
        try {
            socket = ServerSocketChannel.open();
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChannelFuture registration = new ServerBootstrap()
                .group(group)
                .channelFactory(() -> new RuntimeConnection.Listener(socket))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // decoder and encoder rather than HttpServerCodec, which pairs every response it encodes
                        // with a request: the answers RuntimeExchange writes directly bypass the encoder
                        ch.pipeline()
                                .addLast(new HttpRequestDecoder())
                                .addLast(new HttpResponseEncoder())
                                .addLast(new ResponseSizeLimit(api))
                                .addLast(new Handler(api));
                    }
                })
                .register();
        // a listener the event loop cannot take over refuses connections, so the runtime fails rather than waits
        registration.addListener(f -> {
            if (!f.isSuccess()) registration.channel().close();
        });
        return registration.channel();
    }

    static int port(Channel listener) {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static final class ResponseSizeLimit extends HttpObjectAggregator {
        private final RuntimeApi api;

        ResponseSizeLimit(RuntimeApi api) {
            super(MAX_RESPONSE_BYTES, true);
            this.api = api;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            String uri = oversized instanceof HttpRequest request ? request.uri() : "";
            Matcher m = INVOCATION_CALL.matcher(uri);
            // The aggregator discards the rest of the body, so the connection stays usable: a runtime
            // told 413 goes on to its next invocation on it, as on Lambda.
            RuntimeExchange exchange = new RuntimeExchange(ctx, HttpUtil.isKeepAlive(oversized));
            if (m.matches()) {
                api.responseTooLarge(m.group(1), exchange);
            } else {
                exchange.replyJson(413, "{\"errorMessage\":\"Exceeded maximum allowed payload size ("
                        + MAX_RESPONSE_BYTES + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
            }
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final RuntimeApi api;

        Handler(RuntimeApi api) {
            this.api = api;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            RuntimeExchange exchange = new RuntimeExchange(ctx, HttpUtil.isKeepAlive(request));
            String path = request.uri();
            int query = path.indexOf('?');
            if (query >= 0) path = path.substring(0, query);
            String method = request.method().name();
            String errorType = request.headers().get("Lambda-Runtime-Function-Error-Type");
            if (path.equals("/2018-06-01/runtime/invocation/next") && method.equals("GET")) {
                api.next(exchange);
                return;
            }
            if (path.equals("/2018-06-01/runtime/init/error") && method.equals("POST")) {
                api.initError(errorType, ByteBufUtil.getBytes(request.content()), exchange);
                return;
            }
            Matcher m = INVOCATION_CALL.matcher(path);
            if (m.matches() && method.equals("POST")) {
                byte[] body = ByteBufUtil.getBytes(request.content());
                if (m.group(2).equals("response")) {
                    api.response(m.group(1), body, exchange);
                } else {
                    api.error(m.group(1), errorType, body, exchange);
                }
                return;
            }
            exchange.replyJson(404, "{\"errorMessage\":\"No such Runtime API call: " + method + " " + path
                    + "\",\"errorType\":\"NotFound\"}");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
