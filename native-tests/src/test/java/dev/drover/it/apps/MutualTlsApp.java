package dev.drover.it.apps;

import dev.drover.Worker;
import java.security.cert.X509Certificate;

/**
 * Mutual TLS with encrypted keys. app.cert, app.key (encrypted with app.passphrase), app.ca (the
 * CA of the clients' certificates). Group "mtls" on app.mtls wants a client certificate,
 * "mtls-optional" on app.optional takes clients without one; both are https answering who the client is,
 * the second with app.key.traditional (the older Proc-Type: 4,ENCRYPTED form).
 */
public final class MutualTlsApp {
    private MutualTlsApp() {}

    public static void main(String[] args) {
        String passphrase = System.getProperty("app.passphrase");
        Worker required = new Worker("http://127.0.0.1:" + Integer.getInteger("app.mtls")).setName("mtls").setTransport("ssl")
                .setSslCertificate(System.getProperty("app.cert"), System.getProperty("app.key")).setSslKeyPassphrase(passphrase)
                .setSslVerifyClient(System.getProperty("app.ca"));
        Worker optional = new Worker("http://127.0.0.1:" + Integer.getInteger("app.optional")).setName("mtls-optional").setTransport("ssl")
                .setSslCertificate(System.getProperty("app.cert"), System.getProperty("app.key.traditional")).setSslKeyPassphrase(passphrase)
                .setSslVerifyClientOptional(System.getProperty("app.ca"));
        for (Worker worker : new Worker[] {required, optional}) {
            worker.onMessage((connection, request) -> connection.send("hello " + connection.getPeerCertificate()
                    .map(X509Certificate::getSubjectX500Principal).map(Object::toString).orElse("anonymous")));
        }
        Worker.runAll(args);
    }
}
