package dev.drover.examples;

import dev.drover.AsyncTcpConnection;
import dev.drover.Worker;

/** A TCP proxy: every connection to tcp://0.0.0.0:7474 is piped to proxy.target (default 127.0.0.1:8080), both ways. */
public final class Proxy {
    private Proxy() {}

    public static void main(String[] args) {
        String target = System.getProperty("proxy.target", "127.0.0.1:8080");
        Worker proxy = new Worker(System.getProperty("proxy.listen", "tcp://0.0.0.0:7474")).setName("proxy").setCount(2);
        proxy.onConnect(client -> {
            AsyncTcpConnection remote = new AsyncTcpConnection("tcp://" + target);
            client.pipe(remote);
            remote.pipe(client);
            remote.onError((c, code, message) -> client.close());
            remote.connect();
        });
        Worker.runAll(args);
    }
}
