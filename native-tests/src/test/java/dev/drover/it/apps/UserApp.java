package dev.drover.it.apps;

import dev.drover.Worker;

/**
 * An http worker that runs as the user in app.user, answering its uid, or at /session a count in
 * its file session (in the default directory); with app.unix, a unix:// one at that path too.
 */
public final class UserApp {
    private UserApp() {}

    public static void main(String[] args) {
        Worker web = new Worker("http://127.0.0.1:0").setName("web").setUser(System.getProperty("app.user"));
        web.onMessage((connection, data) -> {
            if (((dev.drover.http.Request) data).path().equals("/session")) {
                dev.drover.http.Session session = ((dev.drover.http.Request) data).session();
                int n = Integer.parseInt(session.get("n", "0")) + 1;
                session.set("n", Integer.toString(n));
                connection.send("n=" + n);
            } else {
                connection.send("uid " + new com.sun.security.auth.module.UnixSystem().getUid());
            }
        });
        if (System.getProperty("app.unix") != null) {
            Worker unix = new Worker("unix://" + System.getProperty("app.unix")).setName("unix").setUser(System.getProperty("app.user"));
            unix.onMessage((connection, data) -> connection.send("unix"));
        }
        Worker.runAll(args);
    }
}
