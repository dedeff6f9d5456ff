#!/usr/bin/env python3
"""drover's side-by-side benchmark (run it through scripts/bench).

Interleaves three hello-world HTTP servers on 127.0.0.1: drover's Hello example (count 2), a raw
Netty server (one JVM, 2 event loops: NettyHello.java) and nginx (worker_processes 2, return 200).
Each round runs wrk against each of them in turn, at 64 and at 1,000 connections, and reads the
CPU every server process spent (/proc/<pid>/stat) before and after, so the figures that do not
depend on wrk sharing the two cores come out: CPU per request (user and sys) and RSS. Then it
measures drover's worker spawn-to-READY (kill -9, read "ready in N ms" from the log; on Java 25
too when a JDK 25 is found, $JAVA25_HOME or /usr/lib/jvm, its workers killed in turn with the first
ones) and its master and worker RSS idle. With WORKERMAN naming a Workerman 4.x source tree, the
push service runs on Workerman too (scripts/bench.d/push.php), its rounds alternating with drover's.
Prints everything, and writes docs/PERFORMANCE.md with a chart.
"""
import glob
import os
import shutil
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
DURATION = os.environ.get("DURATION", "10s")
CONNECTIONS = [int(c) for c in os.environ.get("CONNECTIONS", "64,1000").split(",")]
TICK = os.sysconf("SC_CLK_TCK")
LIB = os.path.join(ROOT, "examples", "target", "lib")
# The JVM under test: $JAVA_HOME's when set (as scripts/drover does), else the java on PATH.
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
JAVA_FEATURE = int(re.search(r'version "(\d+)', subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr).group(1))


def java_25_home():
    """A Java 25 JDK beside the one under test ($JAVA25_HOME, else one in /usr/lib/jvm), for its spawn time; None when there is none."""
    if JAVA_FEATURE == 25:
        return None
    candidates = [os.environ["JAVA25_HOME"]] if os.environ.get("JAVA25_HOME") else sorted(glob.glob("/usr/lib/jvm/*"))
    for home in candidates:
        java = os.path.join(home, "bin", "java")
        if os.access(java, os.X_OK) and 'version "25' in subprocess.run([java, "-version"], capture_output=True, text=True).stderr:
            return home
    return None


# What jnr and Netty need from 22 and 24 on (see scripts/drover).
JAVA_FLAGS = (["--enable-native-access=ALL-UNNAMED"] if JAVA_FEATURE >= 22 else []) + \
             (["--sun-misc-unsafe-memory-access=allow"] if JAVA_FEATURE >= 24 else [])


def jars(*prefixes):
    return ":".join(os.path.join(LIB, j) for j in sorted(os.listdir(LIB)) if j.startswith(prefixes))


def cpu_ticks(pids):
    user = system = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            user += int(fields[11])
            system += int(fields[12])
        except OSError:
            pass
    return user, system


def proc_kib(pid, name, field):
    """A kB figure of /proc/<pid>/<name> (0 once the process is gone)."""
    try:
        for line in open(f"/proc/{pid}/{name}"):
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid):
    return proc_kib(pid, "status", "VmRSS:")


def pss_kib(pid):
    """Proportional set size: pages shared with other processes (libjvm's code) counted in shares."""
    return proc_kib(pid, "smaps_rollup", "Pss:")


def memory(pid):
    return f"{rss_kib(pid) / 1024:.0f} MiB (PSS {pss_kib(pid) / 1024:.0f})"


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wait_port(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"]).returncode == 0:
            return
        time.sleep(0.1)
    raise SystemExit(f"nothing answers on 127.0.0.1:{port} after {timeout} s")


def unit_ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(port, connections, duration=DURATION):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "p50": unit_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
              "p99": unit_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
              "errors": 0}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        result["errors"] += sum(int(g) for g in errors.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        result["errors"] += int(non2xx.group(1))
    return result


class Server:
    def __init__(self, name, port):
        self.name, self.port = name, port

    def measure(self, connections):
        pids = self.pids()
        before = cpu_ticks(pids)
        result = wrk(self.port, connections)
        after = cpu_ticks(pids)
        result["user_us"] = (after[0] - before[0]) * 1e6 / TICK / result["requests"]
        result["sys_us"] = (after[1] - before[1]) * 1e6 / TICK / result["requests"]
        result["rss_kib"] = sum(rss_kib(p) for p in pids)
        return result


class Drover(Server):
    def __init__(self, work, port, java_home=None):
        super().__init__("drover", port)
        self.work = work
        env = dict(os.environ, JAVA_OPTS=f"-Dhello.listen=http://127.0.0.1:{port} -Dhello.count=2")
        if java_home:
            env["JAVA_HOME"] = java_home
        self.env = env
        self.command("start", "-d")

    def command(self, *args):
        return subprocess.run([os.path.join(ROOT, "scripts", "drover"), "dev.drover.examples.Hello", *args],
                              cwd=self.work, env=self.env, capture_output=True, text=True, check=True).stdout

    def master(self):
        return int(open(os.path.join(self.work, "Hello.pid")).read())

    def pids(self):
        return [self.master(), *children(self.master())]

    def stop(self):
        self.command("stop")


class Netty(Server):
    def __init__(self, port):
        super().__init__("netty", port)
        self.process = subprocess.Popen([JAVA, *JAVA_FLAGS, "-Xmx256m", "-XX:+UseSerialGC", "-cp", jars("netty-"),
                                         os.path.join(ROOT, "scripts", "bench.d", "NettyHello.java"), str(port)],
                                        stdout=subprocess.DEVNULL)

    def pids(self):
        return [self.process.pid]

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Nginx(Server):
    def __init__(self, work, port):
        super().__init__("nginx", port)
        self.work = work
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{ default_type text/plain; return 200 "hello"; }}
    }}
}}
""")
        subprocess.run(["nginx", "-c", conf], check=True)

    def master(self):
        return int(open(os.path.join(self.work, "nginx.pid")).read())

    def pids(self):
        return [self.master(), *children(self.master())]

    def stop(self):
        os.kill(self.master(), signal.SIGQUIT)


def spawn_times(drovers, n=12):
    """Kills a worker of each drover in turn, n times: (p50, p95) of ' ready in N ms' for each."""
    logs = [os.path.join(d.work, "Hello.log") for d in drovers]
    for _ in range(n):
        for drover, log in zip(drovers, logs):
            seen = open(log).read().count(" ready in ")
            victim = children(drover.master())[0]
            os.kill(victim, signal.SIGKILL)
            deadline = time.time() + 30
            while open(log).read().count(" ready in ") == seen and time.time() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # let the new worker settle before the next kill
    results = []
    for log in logs:
        times = [int(m) for m in re.findall(r" ready in (\d+) ms", open(log).read())][-n:]
        results.append((statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1] if len(times) > 1 else times[0]))
    return results


def heap_allocated_kib(pid):
    """KiB the process has allocated on its Java heap so far, as far as jstat tells: young collections x eden, plus eden now."""
    out = subprocess.run([os.path.join(os.path.dirname(os.path.realpath(shutil.which(JAVA) or JAVA)), "jstat"), "-gc", str(pid)],
                         capture_output=True, text=True).stdout.split("\n")
    fields = dict(zip(out[0].split(), out[1].split()))
    return int(fields["YGC"]) * float(fields["EC"]) + float(fields["EU"])


def allocation_per_request(drover, connections=64, duration="5s"):
    """Bytes the workers allocate per request over one wrk run (jstat before and after)."""
    workers = children(drover.master())
    before = sum(heap_allocated_kib(p) for p in workers)
    served = wrk(drover.port, connections, duration)["requests"]
    after = sum(heap_allocated_kib(p) for p in workers)
    return (after - before) * 1024 / served


def java_app(main, work, *options_and_args):
    classpath = jars("") + ":" + next(os.path.join(ROOT, "examples", "target", f) for f in os.listdir(os.path.join(ROOT, "examples", "target"))
                                      if f.startswith("drover-examples") and f.endswith(".jar"))
    return [JAVA, *JAVA_FLAGS, "-cp", classpath, *[o for o in options_and_args if o.startswith("-D")], f"dev.drover.examples.{main}",
            *[a for a in options_and_args if not a.startswith("-D")], "--pid-file", os.path.join(work, f"{main}.pid")]


def start_to_answer(work, port, times=3):
    """`start -d` of Hello (count 2) to the first answered request, in ms: the first start (no class archive yet), then later ones."""
    results = []
    for i in range(times):
        since = log_size(work)
        started = time.time()
        subprocess.Popen(java_app("Hello", work, f"-Dhello.listen=http://127.0.0.1:{port}", "-Dhello.count=2", "start", "-d"),
                         cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"]).returncode != 0:
            time.sleep(0.005)
        results.append((time.time() - started) * 1000)
        if i == 0:
            wait_for_archives(work, since)  # the first start records, then dumps, the workers' and the master's archives
        subprocess.run(java_app("Hello", work, "stop"), cwd=work, capture_output=True, check=True)
    return results


def log_size(work):
    log = os.path.join(work, "Hello.log")
    return os.path.getsize(log) if os.path.exists(log) else 0


def wait_for_archives(work, since, timeout=60):
    """Waits until the log, past byte `since`, says the workers' and the master's class archives are ready (a first start dumps them)."""
    deadline = time.time() + timeout
    wanted = ("class archive for the workers ready", "class archive for the master ready")
    while True:
        with open(os.path.join(work, "Hello.log"), "rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        if all(w in text for w in wanted):
            return
        if time.time() > deadline:
            sys.exit(f"bench: the class archives were not ready {timeout} s after the start; see {work}/Hello.log and {work}/.drover-cache")
        time.sleep(0.1)


def websockets(work, port):
    """Echo (count 2): round trips per second with 64 clients, then RSS and CPU for 20,000 idle connections."""
    env = dict(os.environ)
    subprocess.run(java_app("Echo", work, f"-Decho.listen=websocket://127.0.0.1:{port}", "start", "-d"), cwd=work, env=env,
                   capture_output=True, check=True)
    master = int(open(os.path.join(work, "Echo.pid")).read())
    clients = [JAVA, "-Xmx512m", os.path.join(ROOT, "scripts", "bench.d", "WebSocketClients.java")]
    try:
        pids = [master, *children(master)]
        before = cpu_ticks(pids)
        out = subprocess.run([*clients, "echo", str(port), "64", "10"], capture_output=True, text=True, check=True).stdout
        after = cpu_ticks(pids)
        rate = float(re.search(r"round trips per second: (\d+)", out).group(1))
        cpu_us = ((after[0] - before[0]) + (after[1] - before[1])) * 1e6 / TICK / (rate * 10)
        time.sleep(2)
        workers = children(master)
        idle_before = sum(rss_kib(p) for p in workers)
        # Two holders of 10,000 each: one process may not be allowed 20,000 descriptors.
        holders = [subprocess.Popen([*clients, "idle", str(port), "10000", str(start)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    text=True) for start in (0, 10000)]
        for holder in holders:
            line = holder.stdout.readline()
            if not line.startswith("open 10000"):
                raise SystemExit(f"the idle clients did not all connect: {line}")
        time.sleep(3)
        idle_after = sum(rss_kib(p) for p in workers)
        ticks = cpu_ticks(workers)
        time.sleep(10)
        idle_cpu = sum(cpu_ticks(workers)) - sum(ticks)
        for holder in holders:
            holder.stdin.close()
            holder.wait()
        return {"rate": rate, "cpu_us": cpu_us, "per_connection_kib": (idle_after - idle_before) / 20000,
                "idle_cpu_ms": idle_cpu * 1000 / TICK, "rss_before": idle_before, "rss_after": idle_after}
    finally:
        subprocess.run(java_app("Echo", work, "stop"), cwd=work, capture_output=True)


def push_service(work, ports, count=1):
    """The manual's push service (Push example): 1,000 browsers, 4 pushers with 64 pushes in flight each.

    With count > 1 it runs multi-process: count websocket and count text workers joined by the
    embedded ChannelServer (ports[3]), each push acknowledged by the worker holding its uid. Server
    CPU is the master's and the workers'."""
    ws, text, http = ports[:3]
    cluster = [f"-Dpush.count={count}", f"-Dpush.channel=127.0.0.1:{ports[3]}"] if count > 1 else []
    subprocess.run(java_app("Push", work, f"-Dpush.websocket=websocket://127.0.0.1:{ws}", f"-Dpush.text=text://127.0.0.1:{text}",
                            f"-Dpush.http=http://127.0.0.1:{http}", *cluster, "start", "-d"), cwd=work, capture_output=True, check=True)
    master = int(open(os.path.join(work, "Push.pid")).read())
    try:
        return push_clients(ws, text, [master, *children(master)])
    finally:
        subprocess.run(java_app("Push", work, "stop"), cwd=work, capture_output=True)


def push_clients(ws, text, pids):
    """The push clients against a push service on `ws` and `text` whose processes are `pids`: a first
    run warms the server up, unmeasured (what a JIT compiles in a new worker's first seconds is a
    start-up cost, not a push's); the second is measured, server CPU read from /proc when the
    clients say "measuring" and "done", so the connecting and the warm-up stay out of it."""
    clients = [JAVA, "-Xmx512m", os.path.join(ROOT, "scripts", "bench.d", "WebSocketClients.java"), "push", str(ws), str(text),
               "1000", "4", "64", DURATION.rstrip("s")]
    subprocess.run(clients, capture_output=True, check=True)
    client = subprocess.Popen(clients, stdout=subprocess.PIPE, text=True)
    ticks = {}
    figures = {}
    for line in client.stdout:
        line = line.strip()
        if line in ("measuring", "done"):
            ticks[line] = cpu_ticks(pids)
        elif ":" in line:
            name, value = line.rsplit(":", 1)
            figures[name] = float(value)
    if client.wait() != 0 or "done" not in ticks:
        raise SystemExit("the push clients failed")
    cpu = sum(ticks["done"]) - sum(ticks["measuring"])
    return {"rate": figures["pushes delivered per second"], "fails": int(figures["fail answers"]),
            "cpu_us": cpu * 1e6 / TICK / figures["delivered"],
            "user_us": (ticks["done"][0] - ticks["measuring"][0]) * 1e6 / TICK / figures["delivered"], "p50": figures["delivery p50 ms"],
            "p99": figures["delivery p99 ms"]}


def workerman_push(work, ports):
    """The same push service on Workerman (scripts/bench.d/push.php, the manual's code), when WORKERMAN
    names a Workerman source tree: the peer the issue's push targets were measured on."""
    ws, text = ports
    env = dict(os.environ, PUSH_WEBSOCKET_PORT=str(ws), PUSH_TEXT_PORT=str(text), PUSH_RUN_DIR=work)
    command = ["php", os.path.join(ROOT, "scripts", "bench.d", "push.php")]
    subprocess.run([*command, "start", "-d"], env=env, cwd=work, capture_output=True, check=True)
    try:
        # Its worker answers an HTTP request on the websocket port (400) once onWorkerStart has
        # listened on the text port.
        wait_port(ws)
        master = int(open(os.path.join(work, "workerman-push.pid")).read())
        return push_clients(ws, text, [master, *children(master)])
    finally:
        subprocess.run([*command, "stop"], env=env, cwd=work, capture_output=True)


def print_push_round(rnd, server, r):
    print(f"round {rnd} push {server:<9} {r['rate']:8.0f} pushes/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms"
          f"  {r['cpu_us']:.1f} us CPU each", flush=True)


def median(results, key):
    return statistics.median(r[key] for r in results)


def main():
    work = tempfile.mkdtemp(prefix="drover-bench-")
    ports = {"drover": 18090, "netty": 18091, "nginx": 18092}
    servers = []
    try:
        drover = Drover(work, ports["drover"])
        servers.append(drover)  # each one as it starts, so that a later failure still stops it
        servers.append(Netty(ports["netty"]))
        servers.append(Nginx(work, ports["nginx"]))
        for s in servers:
            wait_port(s.port)
        wait_for_archives(work, 0)  # the workers' and the master's class archives are built in the background after the first start
        idle = {"master": memory(drover.master()), "workers": [memory(p) for p in children(drover.master())]}
        print(f"drover idle RSS: master {idle['master']}, workers " + ", ".join(idle["workers"]))
        java25 = java_25_home()
        if java25:  # the same app on Java 25, its workers killed in turn with the first's
            work25 = os.path.join(work, "java25")
            os.makedirs(work25)
            drover25 = Drover(work25, 18089, java25)
            wait_port(drover25.port)
            wait_for_archives(work25, 0)
            try:
                (spawn_p50, spawn_p95), spawn25 = spawn_times([drover, drover25])
            finally:
                drover25.stop()
            print(f"drover worker spawn to READY on Java 25: p50 {spawn25[0]} ms, p95 {spawn25[1]} ms")
        else:
            [(spawn_p50, spawn_p95)], spawn25 = spawn_times([drover]), None
        print(f"drover worker spawn to READY: p50 {spawn_p50} ms, p95 {spawn_p95} ms")
        idle["workers_after_respawn"] = [memory(p) for p in children(drover.master())]
        for s in servers:  # warm-up: JIT, pools
            wrk(s.port, 64, "3s")
        results = {(s.name, c): [] for s in servers for c in CONNECTIONS}
        for rnd in range(1, ROUNDS + 1):
            for c in CONNECTIONS:
                for s in servers:
                    r = s.measure(c)
                    results[(s.name, c)].append(r)
                    print(f"round {rnd} c={c:<5} {s.name:<7} {r['rps']:>10.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:7.2f} ms"
                          f"  errors {r['errors']}  user {r['user_us']:.2f} us/req  sys {r['sys_us']:.2f} us/req"
                          f"  RSS {r['rss_kib'] // 1024} MiB", flush=True)
        allocated = allocation_per_request(drover)
        print(f"drover workers allocate {allocated:.0f} bytes per request (wrk -c64)")
        after = {"master": memory(drover.master()), "workers": [memory(p) for p in children(drover.master())]}
        time.sleep(6)  # workers give the C heap the JIT freed back every 5 s
        after["workers_settled"] = [memory(p) for p in children(drover.master())]
        for s in servers:
            s.stop()
        servers = []
        starts = start_to_answer(work, 18094)
        print("start -d to the first answer: " + ", ".join(f"{t:.0f} ms" for t in starts))
        ws = websockets(work, 18093)
        print(f"websocket echo: {ws['rate']:.0f} round trips/s, {ws['cpu_us']:.1f} us CPU each; 20,000 idle connections: "
              f"{ws['per_connection_kib']:.1f} KiB each, {ws['idle_cpu_ms']:.0f} ms CPU in 10 s")
        pushes, peer = [], []
        for rnd in range(1, ROUNDS + 1):  # with WORKERMAN set, the two push services alternate
            pushes.append(push_service(work, (18095, 18096, 18097)))
            print_push_round(rnd, "drover", pushes[-1])
            if os.environ.get("WORKERMAN"):
                peer.append(workerman_push(work, (18099, 18100)))
                print_push_round(rnd, "workerman", peer[-1])
        push = {key: median(pushes, key) for key in pushes[0]}
        push["peer"] = {key: median(peer, key) for key in peer[0]} if peer else None
        print(f"push service: {push['rate']:.0f} pushes/s delivered, {push['cpu_us']:.1f} us of server CPU each, "
              f"delivery p50 {push['p50']:.2f} ms, p99 {push['p99']:.2f} ms, {push['fails']} fail answers")
        clusters = [push_service(work, (18095, 18096, 18097, 18098), count=2) for _ in range(ROUNDS)]
        cluster = {key: median(clusters, key) for key in clusters[0]}
        print(f"push service on 2+2 workers and the ChannelServer: {cluster['rate']:.0f} pushes/s delivered, "
              f"{cluster['cpu_us']:.1f} us of server CPU each, delivery p50 {cluster['p50']:.2f} ms, p99 {cluster['p99']:.2f} ms, "
              f"{cluster['fails']} fail answers")
        report = write_report(work, results, idle, after, spawn_p50, spawn_p95, spawn25, starts, ws, push, cluster, allocated)
        print(report)
    finally:
        for s in servers:
            try:
                s.stop()
            except Exception as e:  # noqa: BLE001 - cleanup goes on
                print(f"cannot stop {s.name}: {e}", file=sys.stderr)


def peer_row(push):
    """The report's line for Workerman's push service beside drover's (WORKERMAN set), or for its absence."""
    peer = push["peer"]
    if peer is None:
        return ("the same on Workerman | not measured: set WORKERMAN to a Workerman 4.x source tree (scripts/bench.d/push.php, the "
                "manual's code, needs `php`) |")
    return (f"the same on Workerman 4.x (scripts/bench.d/push.php, the manual's code; rounds alternating with drover's) | "
            f"{peer['rate']:,.0f} pushes/s delivered, {peer['cpu_us']:.1f} µs of server CPU per delivered push, delivery p50 "
            f"{peer['p50']:.2f} ms, p99 {peer['p99']:.2f} ms, {peer['fails']} `fail` answers; drover/Workerman: pushes/s "
            f"{push['rate'] / peer['rate']:.2f}x, CPU per push {push['cpu_us'] / peer['cpu_us']:.2f}x, p99 {push['p99'] / peer['p99']:.2f}x |")


def write_report(work, results, idle, after, spawn_p50, spawn_p95, spawn25, starts, ws, push, cluster, allocated):
    lines = ["| connections | server | req/s | p50 ms | p99 ms | errors | user µs/req | sys µs/req | RSS MiB | req/s vs nginx | vs netty |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    data = []
    for c in CONNECTIONS:
        for name in ("drover", "netty", "nginx"):
            r = results[(name, c)]
            rps = median(r, "rps")
            lines.append(f"| {c} | {name} | {rps:,.0f} | {median(r, 'p50'):.2f} | {median(r, 'p99'):.2f} | {sum(x['errors'] for x in r)} "
                         f"| {median(r, 'user_us'):.2f} | {median(r, 'sys_us'):.2f} | {median(r, 'rss_kib') / 1024:.0f} "
                         f"| {rps / median(results[('nginx', c)], 'rps'):.2f} | {rps / median(results[('netty', c)], 'rps'):.2f} |")
            data.append((f"{name}-c{c}", rps, median(r, "user_us"), median(r, "sys_us")))
    table = "\n".join(lines)
    chart = os.path.join(ROOT, "docs", "performance.png")
    dat = os.path.join(work, "chart.dat")
    with open(dat, "w") as f:
        for label, rps, user, system in data:
            f.write(f"{label} {rps / 1000:.1f} {user:.2f} {system:.2f}\n")
    subprocess.run(["gnuplot"], input=f"""set terminal pngcairo size 1000,420 font ",10"
set output "{chart}"
set multiplot layout 1,2 title "hello world, wrk -t2 -d{DURATION}, median of {ROUNDS} interleaved rounds, 2 cores"
set style data histograms
set style fill solid 0.8 border -1
set xtics rotate by -30
set grid ytics
set title "requests/s (thousands)"
set yrange [0:*]
plot "{dat}" using 2:xtic(1) notitle lc rgb "#3572b0"
set style histogram rowstacked
set title "server CPU per request (µs): user + sys"
plot "{dat}" using 3:xtic(1) title "user" lc rgb "#d04437", "" using 4 title "sys" lc rgb "#f6c342"
unset multiplot
""", text=True, check=True)
    java = subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    report = f"""# Performance

Measured by `scripts/bench` on {time.strftime("%Y-%m-%d")} on this project's 2-core x86_64 machine ({java}); wrk runs on the same
two cores, so requests/s are capped by wrk and swing between runs, and the machine's speed varies from
day to day (nginx's own CPU per request with it): compare the ratios, measured side by side.
Every figure is the median of {ROUNDS} interleaved rounds of `wrk -t2 -cN -d{DURATION} --latency`.
RSS is VmRSS; PSS (in brackets) counts pages shared with other processes (libjvm's code) in shares.
CPU per request is the CPU time all of a server's processes spent during the run (from
`/proc/<pid>/stat`) divided by the requests served.

![requests/s and CPU per request](performance.png)

{table}

drover, workers and master (Hello example, count 2, `start -d`):

| | measured |
|---|---|
| master RSS idle / after the load | {idle['master']} / {after['master']} |
| worker RSS idle (first start) | {', '.join(idle['workers'])} |
| worker RSS idle (respawned, class archive mapped) | {', '.join(idle['workers_after_respawn'])} |
| worker RSS right after the load | {', '.join(after['workers'])} |
| worker RSS 6 s after the load (C heap trimmed every 5 s) | {', '.join(after['workers_settled'])} |
| Java heap allocated per hello request (both workers, from `jstat`, wrk -c64) | {allocated:.0f} bytes |
| worker spawn to READY (kill -9, 12 times) | p50 {spawn_p50:.0f} ms, p95 {spawn_p95:.0f} ms |
| the same on Java 25 (its workers killed in turn with those above) | {f"p50 {spawn25[0]:.0f} ms, p95 {spawn25[1]:.0f} ms" if spawn25 else "not measured: no Java 25 JDK found (JAVA25_HOME)"} |
| `start -d` to the first answered request | first start {starts[0]:.0f} ms; with the class archive {statistics.median(starts[1:]):.0f} ms |
| WebSocket echo, 64 clients (Echo example, count 2) | {ws['rate']:,.0f} round trips/s, {ws['cpu_us']:.1f} µs of server CPU each |
| 20,000 idle WebSocket connections on 2 workers | {ws['per_connection_kib']:.1f} KiB of RSS each ({ws['rss_before'] / 1024:.0f} → {ws['rss_after'] / 1024:.0f} MiB); {ws['idle_cpu_ms']:.0f} ms of CPU in 10 s idle |
| push service (Push example): 1,000 WebSocket browsers, 4 pushers × 64 pushes in flight, {DURATION} | {push['rate']:,.0f} pushes/s delivered, {push['cpu_us']:.1f} µs of server CPU per delivered push, delivery p50 {push['p50']:.2f} ms, p99 {push['p99']:.2f} ms, {push['fails']} `fail` answers (median of {ROUNDS} runs, each after an unmeasured warm-up run of the same clients) |
| {peer_row(push)}
| the same, multi-process (`-Dpush.count=2`: 2 websocket and 2 text workers, the embedded ChannelServer, each push acknowledged by the holder's worker) | {cluster['rate']:,.0f} pushes/s delivered, {cluster['cpu_us']:.1f} µs of server CPU per delivered push, delivery p50 {cluster['p50']:.2f} ms, p99 {cluster['p99']:.2f} ms, {cluster['fails']} `fail` answers (median of {ROUNDS} runs) |

## Where the CPU goes

Measured with async-profiler on a Hello worker at `wrk -c64` and `-c1000` (not by this script), and
side by side with two builds running at once, wrk alternating between them. At 1,000 connections
Netty's epoll listening channel accepts one connection per loop turn (its accept handle stops after
one message), so a worker that found 500 in its backlog served every open connection 500 times
before the last one got in: drover's accept queue drained at ~200 connections/s, p99 was 0.7-1.3 s
with hundreds of wrk timeouts. Workers accept up to 64 per turn now (`AcceptBatch`); the Netty
baseline keeps Netty's default and shows that stall in its first c=1000 round. At 64 connections
the loop's user time went to Netty's leak detector (a stack trace for every 128th buffer: off in
workers), the adaptive allocator (the pooled one's thread caches are cheaper: workers use it), and
building and encoding a Netty response object for every `send(text)`: those answers are now written
as one buffer (`PlainAnswer`) by the handler that keeps Netty's keep-alive, HEAD and pipelining
rules. Loop user CPU per request, side by side: 5.05 -> 3.77 us (detector and allocator), then
3.57 -> 2.58 us (answers). Then the requests: Netty's decoder built a request object, a header
map with an entry per header, strings for the method, target and version, a decoder result, and
the aggregator a second request, for every GET. drover now reads the common request itself
(`PlainRequest`: GET or HEAD, no body, RFC 9112's strict grammar, headers parsed only when the
application asks for them) and leaves everything else to Netty's decoder; a unit test reads 30,000
edited heads both ways and finds no difference. Side by side (10 alternating rounds, wrk -c64):
771 -> 400 bytes allocated per request (at 40,000 requests/s a worker's 2 MiB eden fills every
~130 ms instead of ~70 ms), user CPU 4.01 -> 3.53 us per request, p99 7.2 -> 5.5 ms. Then the
buffers: for each request's read and its answer the pooled allocator looked up a size class, its
thread cache and a chunk, and recycled its buffer object and cache entry through queues. A worker's
loop now reads into, and writes its answers and WebSocket frames from, 4 KiB direct buffers of its
own, kept on a list and taken back when released (`LoopBuffers`; larger ones, and those an
application's own thread asks for, are still the pooled allocator's). Side by side against d2ac9ce
(8 alternating rounds each): user CPU per request 3.18 -> 2.96 us at 64 connections, lower in every
pair, a second run 3.78 -> 3.72 us (lower in 5 of 8) on a slow hour; 4.26 -> 4.04 us at 1,000
connections (5 of 6); each worker's RSS after the load 6-7 MiB lower (the pool no longer takes a
chunk for them). At 1,000 connections a request costs about 1 us more user time than at 64, and
the profile's difference is in the first touch of each connection's objects: finding the next
handler in the pipeline, the read handle's reset, the handlers' first lines (cache misses: 500
connections' pipelines per worker do not stay in the cache). So a connection has fewer of them:
the byte counts for `connections` and the flush batching are one handler (`Traffic`), and the read
handle sizes its reads itself instead of wrapping Netty's adaptive one (and counts are stored
without a fence). Side by side against 06e60a2 (6 alternating rounds each, a slow hour): user CPU
per request 4.94 -> 4.47 us at 1,000 connections, lower in every pair, p99 24 -> 21 ms; 3.35 ->
3.22 us at 64 (4 of 6). What is left is Netty's pipeline, JNI, and the kernel: `sendto` on
loopback runs the receiving side's TCP stack too, ~40% of the loop's time.

A push is a write to another connection than the one being read. Netty's flush consolidation
submitted a task and a future for each such connection; a worker's connections now share one flush
task per loop turn (`FlushBatch`), and a WebSocket `send(text)` is one frame drover writes itself
in one buffer (no frame object, no second buffer) unless the client negotiated compression. Side by
side (both builds running, the same clients alternating between them for 5 rounds of 6 s, worker
CPU from `/proc`, a slow day of this machine; means): the push worker's user CPU per delivered push
7.1 -> 6.4 us, total 17.0 -> 16.1 us. A push still costs one `sendto` of its own, the receiver's
TCP stack included: ~9-10 us of kernel time on that day, more than half of it.

Where a push's delivery time goes (measured 2026-12-04, not by this script). The pushers are owed
a new push for each `ok`, and the server says `ok` once it has written the push to the browser's
socket, not once the browser read it: the pushes between the server and the clients' one reader
thread (1,000 sockets, one `read` each per turn) are not bounded by the 256 in flight. With 16
in flight per pusher instead of 64, drover's p50 fell from ~4.7 ms to 1.0 ms at the same rate, but
the p99 stayed at ~16 ms; with 4 in flight (49,000 pushes/s) it was 2.7 ms. The push worker's
collector is not the tail either: young pauses every ~35 ms of ~0.5 ms (p99 5 ms, max 15 ms in
30 s, `-Xlog:gc`), ~1.2% of the time. The tail is the two cores shared between the server's event
loop (~0.9 of a core), the clients' reader (~0.6) and their pushers and collector: a thread that
is ready waits for a core. Workerman 4.2.1 (select loop, PHP 8.2) on the same clients, rounds
alternating with drover's, seven pairs on 2026-12-04 (four by hand, three by this script): p99
18.3 / 24.3 / 21.2 / 34.7 / 7.8 / 20.9 / 11.6 ms against drover's 10.1 / 10.3 / 20.1 / 25.2 /
16.6 / 17.0 / 16.0 ms (lower in 5 of 7 pairs; medians 20.9 and 16.6 ms), while drover delivered
1.8-2.1x the pushes at ~0.55x the CPU per push. The issue's 9.4 ms for Workerman falls inside
that spread; on this machine neither server holds a 10 ms p99 from run to run. `WORKERMAN=<a
Workerman 4.x tree> scripts/bench` runs the comparison (the row above).

## Where the memory and the start time go

Read off a Hello worker on Java 17 with `pmap -x` and `-XX:NativeMemoryTracking=summary` (not by
this script). A worker started from the class archive is about 45 MiB idle: the archive mapped
(JDK and application classes, ~15 MiB, all of it touched: the JDK maps it at a random address and
relocates it), libjvm's code (~14 MiB, shared between processes, so PSS is lower), the Java heap
(~5 MiB touched of `-Xms8m`), code cache, metaspace, thread stacks. After a load the C heap held
~17 MiB that C2 had freed; the 5 s trim gives it back. The master is the same JVM floor (a `java`
that only sleeps is ~34 MiB here with the JDK's archive, ~27 MiB without) plus its own archive and
jnr-ffi's classes; `-Xint` would save 4 MiB and cost 300 ms of `start -d`. The same worker idle,
second start from its archive, measured side by side on 2026-12-03: 46 MiB as drover starts it,
43 MiB with C1 only (`-XX:TieredStopAtLevel=1`), 40 MiB interpreted (`-Xint`): with HotSpot and
this archive a worker does not get under 40 MiB by options alone. Java 17 here and 25 map a class
archive at a random address (`ArchiveRelocationMode=1`, for ASLR) and rewrite every pointer in it
as the JVM starts: on 17 that is ~18 ms of the JVM's own creation (`-Xlog:startuptime`: 73 -> 55 ms
mapped where it was dumped, its Genesis phase 37 -> 4 ms) and ~13 MiB of the worker archive's pages
copied into each worker.
With `-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0` (measured 2026-12-04, 6-8 kills
each, not side by side): spawn to READY ~12 ms sooner on 17 (p50 ~177 -> ~165 ms), no change on 25;
RSS the same (a worker touches every page of its archive), PSS lower as the pages are shared
(worker 32 -> 28 MiB on 17, 40 -> 30 MiB on 25 with RSS 55 -> 49). drover keeps the JDK's default,
address randomisation; an operator who prefers the pages can put those options in `JAVA_OPTS`.

`start -d` to the first answer is three JVM starts in a row. The command's JVM reads a plain
`start -d` itself and starts the daemon with `ProcessBuilder` (~180 ms to the daemon's exec): in a
JVM without a class archive, picocli's model and jnr-ffi's start took ~500 ms more. (`nohup` or a
shell's background job ignore signals a child of Java would inherit, so they take that slower
path.) The daemon master reaches its first spawn ~300 ms later, from its own class archive;
jnr-ffi's start is ~130 ms of that. Then the workers: ~170-250 ms each alone, ~450 ms for two
started together beside the busy master. Measured and removed on the way: picocli in the daemon
(~100 ms), invokedynamic string concatenation (~40 ms of method-handle classes spun at a JVM's
first concatenations; drover compiles them to StringBuilder calls), SHA-256 for archive keys
(~30 ms of security providers), and in workers every walk through the class path's jars (Netty's
search for SLF4J and Log4J, java.util.logging's and the selector provider's service lookups: the
first miss opens every jar, 40-80 ms). And the classes a first request loads (~230 for HTTP: the
epoll socket channel, the codec, pooled buffers) reached the workers' archive only when a request
arrived before the master dumped it; the recording worker now has one exchange with itself before
it is ready: `start -d` to the first answer 997 -> 893 ms p50 side by side against an archive
without them. The JVM writes a lambda's line to its class list with the next class's, so the
lambdas a worker links after its last class load (serving its listeners, the heartbeat) were not
in the list the master dumps at READY, and every worker spun them again (6 classes and their
method handles, ~3-4 ms of a start by `-Xlog:class+load`, within the spawn times' noise side by
side); the recording worker now loads one class more (`ClassListEnd`) before it is ready.
Measured on 2026-12-04 and not kept: the master's critical path to its first spawn (~310 ms from
its fork, by `/proc/<pid>/stat` start times over 10 alternating starts) is the thread that loads
jnr-ffi (~150 ms: its `LibC` proxy class, ~10 dynamic proxies for annotations, most of them
jnr-ffi's own, and reflection); the log's clock through `java.util.TimeZone` instead of java.time
(~20 ms less in a JVM alone, as its zone provider scans the class path) and `LibC` without
annotations (4 proxies fewer) did not shorten that path (310 vs 310 ms, both changes), and the
clock alone not the master's CPU at `start -d`'s return (420 vs 425 ms, 8 starts each).

Java 25's AOT cache (JEP 483/514) needs a training run that exits, and workers exit only at a
stop or reload. Tried: a training JVM that loads every class the first worker loaded
(`Class.forName` over its class list, `-XX:AOTCacheOutput`), the workers started with
`-XX:AOTCache`: spawn to READY 211-287 ms against 173-218 ms from the static archive, same
machine, same minute (measured while workers still loaded jnr-ffi). So on 25 drover keeps the static archive (`-Xshare:dump` from the class
list); `-XX:+AOTClassLinking` added to that dump did not change spawn times either. Tried again on
2026-12-03 with a real training run: a Hello worker on Java 25 with `-XX:AOTMode=record` served
requests and wrote its configuration when stopped, `-XX:AOTMode=create` made the cache (22 MB),
and workers started with `-XX:AOTCache` beside workers started from drover's static archive, killed
in turn: spawn to READY p50 226 ms against 192 ms (and 312 against 225 ms with
`-XX:-AOTClassLinking`). The cache loads and links every class it holds at start, the request
path's too, and its method profiles send C2 to work while the worker starts.
"""
    with open(os.path.join(ROOT, "docs", "PERFORMANCE.md"), "w") as f:
        f.write(report)
    return report


if __name__ == "__main__":
    main()
