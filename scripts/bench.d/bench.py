#!/usr/bin/env python3
"""drover's side-by-side benchmark (run it through scripts/bench).

Interleaves three hello-world HTTP servers on 127.0.0.1: drover's Hello example (count 2), a raw
Netty server (one JVM, 2 event loops: NettyHello.java) and nginx (worker_processes 2, return 200).
Each round runs wrk against each of them in turn, at 64 and at 1,000 connections (then, in rounds of
their own, 64 clients that open a connection per request: Connection: close), and reads the
CPU every server process spent (/proc/<pid>/stat) before and after, so the figures that do not
depend on wrk sharing the two cores come out: CPU per request (user and sys) and RSS. Then it
measures drover's worker spawn-to-READY (kill -9, read "ready in N ms" from the log; on Java 25
too when a JDK 25 is found, $JAVA25_HOME or /usr/lib/jvm, its workers killed in turn with the first
ones), its master and worker RSS idle, and `start -d` to the first answer beside a plain JVM's
start (the Netty server). With WORKERMAN naming a Workerman 4.x source tree, the push service runs on
Workerman too (scripts/bench.d/push.php), its rounds alternating with drover's, and Workerman's
`start -d` of a hello server (scripts/bench.d/hello.php) is timed beside drover's.
Prints everything, and writes the figures to docs/PERFORMANCE.md with a chart, opening with a table
of issue 8's targets, each with what the run measured and whether that meets it; the report's
hand-written sections (measurements by hand, from ANALYSIS on) are kept as they are.
"""
import glob
import os
import platform
import shutil
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(ROOT, "docs", "PERFORMANCE.md")
# Where the report's hand-written sections begin: a run rewrites the figures above it and keeps the rest.
ANALYSIS = "## Where the CPU goes"
# HTTP rounds: the machine's speed drifts from one 10 s run to the next (nginx alone 126,000-166,000 req/s
# at c=64 in six rounds in a row), so the req/s target is read from each round's ratio, and five of them.
ROUNDS = int(os.environ.get("ROUNDS", "5"))
PUSH_ROUNDS = int(os.environ.get("PUSH_ROUNDS", "3"))
DURATION = os.environ.get("DURATION", "10s")
CONNECTIONS = [int(c) for c in os.environ.get("CONNECTIONS", "64,1000").split(",")]
SPLIT_AT_S = 3  # into a round, when the connections each worker holds are counted
CLOSE_CONNECTIONS = 64  # clients opening a connection per request, in rounds of their own
CLOSE_ROUNDS = int(os.environ.get("CLOSE_ROUNDS", "3"))
SETTLE_S = 11  # after a spawn or a load, until a worker's C heap is trimmed with its compilers' chunks back in it
TICK = os.sysconf("SC_CLK_TCK")
LIB = os.path.join(ROOT, "examples", "target", "lib")
# The JVM under test: $JAVA_HOME's when set (as scripts/drover does), else the java on PATH.
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
JAVAC = os.path.join(os.path.dirname(JAVA), "javac") if os.path.dirname(JAVA) else "javac"
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


class Memory:
    """A process's RSS and PSS now, in KiB; reads as the report writes it."""
    def __init__(self, pid):
        self.rss, self.pss = rss_kib(pid), pss_kib(pid)

    def __str__(self):
        return f"{self.rss / 1024:.1f} MiB (PSS {self.pss / 1024:.1f})"


def memory(pid):
    return Memory(pid)


def listed(memories):
    return ", ".join(map(str, memories))


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def answers(port):
    """Whether an HTTP GET on 127.0.0.1:`port` gets an answer, asked from this process: a curl per try
    took a share of the two cores from the JVMs whose start it timed."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return connection.recv(16).startswith(b"HTTP/1.")
    except OSError:
        return False


def wait_port(port, timeout=60):
    until_answered(port, timeout=timeout, every=0.1)


def until_answered(port, process=None, timeout=60, every=0.003):
    """Waits for the first answer on `port`, asked every `every` s; fails after `timeout` s, or when
    `process` (the command that starts the server, if given) ended with an error first."""
    deadline = time.time() + timeout
    while not answers(port):
        if process is not None and process.poll() not in (None, 0) or time.time() > deadline:
            sys.exit(f"bench: nothing answers on 127.0.0.1:{port} within {timeout} s"
                     + (f" (its command's exit status: {process.poll()})" if process is not None else ""))
        time.sleep(every)


def unit_ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(port, connections, duration=DURATION, close=False):
    """wrk's figures; with `close`, every request asks the server to close its connection (a new one each time)."""
    header = ["-H", "Connection: close"] if close else []
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", *header, f"http://127.0.0.1:{port}/"],
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


def established_by_process(port):
    """How many established connections to `port` each process holds (ss -p), fewest first."""
    out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True).stdout
    counts = {}
    for pid in re.findall(r"pid=(\d+)", out):
        counts[pid] = counts.get(pid, 0) + 1
    return list(counts.values())


def larger_share(split):
    return max(split) / sum(split) if split else float("nan")


class Server:
    def __init__(self, name, port):
        self.name, self.port = name, port

    def measure(self, connections, close=False):
        pids = self.pids()
        before = cpu_ticks(pids)
        split = []
        sample = threading.Timer(SPLIT_AT_S, lambda: split.extend(established_by_process(self.port)))
        sample.start()
        result = wrk(self.port, connections, close=close)
        sample.join()
        after = cpu_ticks(pids)
        result["split"] = sorted(split)
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


# A worker samples the counters jstat reads once a second (drover's -XX:PerfDataSamplingInterval=1000).
COUNTERS_SETTLE_S = 1.5


def heap_allocated_kib(pid):
    """KiB the process has allocated on its Java heap so far, as far as jstat tells: young collections x eden, plus eden now."""
    out = subprocess.run([os.path.join(os.path.dirname(os.path.realpath(shutil.which(JAVA) or JAVA)), "jstat"), "-gc", str(pid)],
                         capture_output=True, text=True).stdout.split("\n")
    fields = dict(zip(out[0].split(), out[1].split()))
    return int(fields["YGC"]) * float(fields["EC"]) + float(fields["EU"])


def allocation_per_request(drover, connections=64, duration="5s"):
    """Bytes the workers allocate per request over one wrk run (jstat before and after). Each reading comes
    once the workers have been idle for longer than they sample jstat's counters (once a second), so that
    the eden's use it reads is the one the run left."""
    workers = children(drover.master())
    time.sleep(COUNTERS_SETTLE_S)
    before = sum(heap_allocated_kib(p) for p in workers)
    served = wrk(drover.port, connections, duration)["requests"]
    time.sleep(COUNTERS_SETTLE_S)
    after = sum(heap_allocated_kib(p) for p in workers)
    return (after - before) * 1024 / served


def machine():
    """This machine as the report names it: its cores, architecture and processor model (from /proc/cpuinfo)."""
    model = "processor model unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith(("model name", "Model")):  # x86_64 names it "model name", arm64 (where known) "Model"
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()}-core {platform.machine()} machine ({model})"


def java_app(main, work, *options_and_args):
    # The application's jar first, as scripts/drover puts it: the command's JVM (no class archive) opens
    # the class path's jars in turn until one holds the main class (~30 ms with it last).
    examples = next(os.path.join(ROOT, "examples", "target", f) for f in os.listdir(os.path.join(ROOT, "examples", "target"))
                    if f.startswith("drover-examples") and f.endswith(".jar"))
    classpath = examples + ":" + jars("")
    return [JAVA, *JAVA_FLAGS, "-cp", classpath, *[o for o in options_and_args if o.startswith("-D")], f"dev.drover.examples.{main}",
            *[a for a in options_and_args if not a.startswith("-D")], "--pid-file", os.path.join(work, f"{main}.pid")]


def start_to_answer(work, port, times=3):
    """`start -d` of Hello (count 2) to the first answered request, in ms: the first start (no class archive yet), then later ones;
    and the memory of the last one's master, idle 3 s after it answered, from its own class archive (a first master has none)."""
    results = []
    master = None
    for i in range(times):
        since = log_size(work)
        started = time.time()
        command = subprocess.Popen(java_app("Hello", work, f"-Dhello.listen=http://127.0.0.1:{port}", "-Dhello.count=2", "start", "-d"),
                                   cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        until_answered(port, command, every=0.005)
        results.append((time.time() - started) * 1000)
        if i == 0:
            wait_for_archives(work, since)  # the first start records, then dumps, the workers' and the master's archives
        if i == times - 1:
            time.sleep(3)
            master = memory(int(open(os.path.join(work, "Hello.pid")).read()))
        subprocess.run(java_app("Hello", work, "stop"), cwd=work, capture_output=True, check=True)
    return results, master


def peer_starts(work, port, times=3):
    """Beside `start -d`, the starts the issue compares it with, in ms from the command to the first
    answered request, medians of `times` (alternating): a plain JVM (the Netty baseline compiled to
    classes, one process, only the JDK's own class archive) and, with WORKERMAN set, Workerman's
    `start -d` of a hello HTTP server (count 2, scripts/bench.d/hello.php). On a machine where every
    JVM starts slowly, the first says how much of drover's time is the JVMs'."""
    classes = os.path.join(work, "netty-hello-classes")
    subprocess.run([JAVAC, "-d", classes, "-cp", jars("netty-"), os.path.join(ROOT, "scripts", "bench.d", "NettyHello.java")],
                   check=True)
    env = dict(os.environ, HELLO_PORT=str(port), HELLO_RUN_DIR=work)
    hello = ["php", os.path.join(ROOT, "scripts", "bench.d", "hello.php")]
    plain, workerman = [], []
    for _ in range(times):
        started = time.time()
        process = subprocess.Popen([JAVA, *JAVA_FLAGS, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classes + ":" + jars("netty-"), "NettyHello",
                                    str(port)], stdout=subprocess.DEVNULL)
        try:
            until_answered(port, process)
            plain.append((time.time() - started) * 1000)
        finally:
            process.terminate()
            process.wait()
        if os.environ.get("WORKERMAN"):
            started = time.time()
            command = subprocess.Popen([*hello, "start", "-d"], env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                until_answered(port, command)
                workerman.append((time.time() - started) * 1000)
            finally:
                command.wait()
                subprocess.run([*hello, "stop"], env=env, cwd=work, capture_output=True)
    return statistics.median(plain), statistics.median(workerman) if workerman else None


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
    """Echo (count 2): round trips per second with 64 clients (after 5 s of them unmeasured), then RSS and CPU for 20,000 idle connections."""
    env = dict(os.environ)
    subprocess.run(java_app("Echo", work, f"-Decho.listen=websocket://127.0.0.1:{port}", "start", "-d"), cwd=work, env=env,
                   capture_output=True, check=True)
    master = int(open(os.path.join(work, "Echo.pid")).read())
    clients = [JAVA, "-Xmx512m", os.path.join(ROOT, "scripts", "bench.d", "WebSocketClients.java")]
    try:
        pids = [master, *children(master)]
        # Unmeasured first, as the HTTP and push rounds are: run right after the start, the 10 s swung
        # 88,000-123,000 round trips/s from one benchmark run to the next with the JIT still compiling.
        subprocess.run([*clients, "echo", str(port), "64", "5"], capture_output=True, text=True, check=True)
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
    kept = analysis(REPORT)  # read first: a run that cannot keep it stops before it starts
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
        print(f"drover idle RSS: master {idle['master']}, workers " + listed(idle["workers"]))
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
        # Idle means settled: the last respawned worker was ready 0.5 s ago. A JVM gives its compilers'
        # pooled arena chunks back to malloc every 5 s and trims the C heap every 5 s, the first clean
        # just after the first trim: ~0.9 MiB more until its second trim, 10 s after the JVM started.
        time.sleep(SETTLE_S)
        idle["workers_after_respawn"] = [memory(p) for p in children(drover.master())]
        # Warm-up, unmeasured, as long as a measured run at each connection count: drover's workers were
        # just respawned by the spawn test, and a JVM's C2 still compiles the request path 10-20 s into
        # its load (3 s here left round 1's p99 at 2.3-2.8x nginx's, the later rounds' at 0.8-1.2x).
        for s in servers:
            for c in CONNECTIONS:
                wrk(s.port, c)
        results = {(s.name, c): [] for s in servers for c in CONNECTIONS}
        for rnd in range(1, ROUNDS + 1):
            for c in CONNECTIONS:
                for s in turned(servers, rnd):
                    r = s.measure(c)
                    results[(s.name, c)].append(r)
                    print(f"round {rnd} c={c:<5} {s.name:<7} {r['rps']:>10.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:7.2f} ms"
                          f"  errors {r['errors']}  user {r['user_us']:.2f} us/req  sys {r['sys_us']:.2f} us/req"
                          f"  RSS {r['rss_kib'] // 1024} MiB  connections {'/'.join(map(str, r['split']))}", flush=True)
        print(against_nginx(results), flush=True)
        allocated = allocation_per_request(drover)
        print(f"drover workers allocate {allocated:.0f} bytes per request (wrk -c64)")
        after = {"master": memory(drover.master()), "workers": [memory(p) for p in children(drover.master())]}
        time.sleep(SETTLE_S)  # workers give the C heap the JIT freed back every 5 s
        after["workers_settled"] = [memory(p) for p in children(drover.master())]
        closing = connection_per_request(servers)
        for s in servers:
            s.stop()
        servers = []
        starts, archived_master = start_to_answer(work, 18094)
        print("start -d to the first answer: " + ", ".join(f"{t:.0f} ms" for t in starts) + f"; that master's RSS: {archived_master}")
        peers = peer_starts(work, 18094)
        print(f"beside it, to the first answer: a plain JVM (Netty) {peers[0]:.0f} ms"
              + (f", Workerman's start -d {peers[1]:.0f} ms" if peers[1] else ""))
        ws = websockets(work, 18093)
        print(f"websocket echo: {ws['rate']:.0f} round trips/s, {ws['cpu_us']:.1f} us CPU each; 20,000 idle connections: "
              f"{ws['per_connection_kib']:.1f} KiB each, {ws['idle_cpu_ms']:.0f} ms CPU in 10 s")
        pushes, peer = [], []
        for rnd in range(1, PUSH_ROUNDS + 1):  # with WORKERMAN set, the two push services alternate
            pushes.append(push_service(work, (18095, 18096, 18097)))
            print_push_round(rnd, "drover", pushes[-1])
            if os.environ.get("WORKERMAN"):
                peer.append(workerman_push(work, (18099, 18100)))
                print_push_round(rnd, "workerman", peer[-1])
        push = {key: median(pushes, key) for key in pushes[0]}
        push["peer"] = {key: median(peer, key) for key in peer[0]} if peer else None
        print(f"push service: {push['rate']:.0f} pushes/s delivered, {push['cpu_us']:.1f} us of server CPU each, "
              f"delivery p50 {push['p50']:.2f} ms, p99 {push['p99']:.2f} ms, {push['fails']} fail answers")
        clusters = [push_service(work, (18095, 18096, 18097, 18098), count=2) for _ in range(PUSH_ROUNDS)]
        cluster = {key: median(clusters, key) for key in clusters[0]}
        print(f"push service on 2+2 workers and the ChannelServer: {cluster['rate']:.0f} pushes/s delivered, "
              f"{cluster['cpu_us']:.1f} us of server CPU each, delivery p50 {cluster['p50']:.2f} ms, p99 {cluster['p99']:.2f} ms, "
              f"{cluster['fails']} fail answers")
        report = write_report(work, results, idle, after, spawn_p50, spawn_p95, spawn25, starts, ws, push, cluster, allocated, kept,
                              archived_master, closing, peers)
        print(report)
    finally:
        for s in servers:
            try:
                s.stop()
            except Exception as e:  # noqa: BLE001 - cleanup goes on
                print(f"cannot stop {s.name}: {e}", file=sys.stderr)


def turned(servers, rnd):
    """The servers in round `rnd`'s order: turned by one each round, so that none always runs first (or last)."""
    return servers[rnd % len(servers):] + servers[:rnd % len(servers)]


def ratio_cell(rounds):
    """A report cell: each round's ratio, then their median."""
    return " / ".join(f"{x:.2f}" for x in rounds) + f", median **{statistics.median(rounds):.2f}x**"


def connection_per_request(servers):
    """CLOSE_ROUNDS interleaved rounds of CLOSE_CONNECTIONS clients that open a connection per request, after one unmeasured run each."""
    for s in servers:
        wrk(s.port, CLOSE_CONNECTIONS, close=True)
    results = {s.name: [] for s in servers}
    for rnd in range(1, CLOSE_ROUNDS + 1):
        for s in turned(servers, rnd):
            r = s.measure(CLOSE_CONNECTIONS, close=True)
            results[s.name].append(r)
            print(f"round {rnd} c={CLOSE_CONNECTIONS} Connection: close {s.name:<7} {r['rps']:>10.0f} req/s  p99 {r['p99']:7.2f} ms"
                  f"  errors {r['errors']}  user {r['user_us']:.2f} us/req  sys {r['sys_us']:.2f} us/req", flush=True)
    return results


def closing_table(closing):
    """The report's table for the clients opening a connection per request, with each round's ratios to nginx."""
    lines = ["| server | req/s | p50 ms | p99 ms | errors | user µs/req | sys µs/req | req/s vs nginx, by round | p99 vs nginx, by round |",
             "|---|---|---|---|---|---|---|---|---|"]
    nginx = closing["nginx"]
    for name in ("drover", "netty", "nginx"):
        r = closing[name]
        cells = []
        for key in ("rps", "p99"):
            rounds = [x[key] / n[key] for x, n in zip(r, nginx)]
            cells.append(ratio_cell(rounds))
        lines.append(f"| {name} | {median(r, 'rps'):,.0f} | {median(r, 'p50'):.2f} | {median(r, 'p99'):.2f} | {sum(x['errors'] for x in r)} "
                     f"| {median(r, 'user_us'):.2f} | {median(r, 'sys_us'):.2f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


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


def analysis(report):
    """The hand-written part of the report at `report`: its sections from ANALYSIS on, measured by
    hand and kept as they are when this script rewrites the figures above them."""
    try:
        with open(report) as f:
            text = f.read()
    except FileNotFoundError:
        print(f"bench: no {report}: the report will hold the figures only (git checkout {report} restores its sections)", file=sys.stderr)
        return ""
    start = text.find("\n" + ANALYSIS + "\n")
    if start < 0:
        sys.exit(f"bench: {report} has no '{ANALYSIS}' section to keep; restore it (git checkout {report}) and run again")
    return text[start + 1:]


def against_nginx(results):
    """The targets as ratios to nginx, round by round (each round ran the servers one after another) and their median."""
    lines = ["| connections | server | req/s vs nginx | user CPU/req vs nginx | user + sys vs nginx | p99 vs nginx |",
             "|---|---|---|---|---|---|"]
    for c in CONNECTIONS:
        nginx = results[("nginx", c)]
        for name in ("drover", "netty"):
            cells = []
            for ratio in (lambda r, n: r["rps"] / n["rps"],
                          lambda r, n: r["user_us"] / n["user_us"],
                          lambda r, n: (r["user_us"] + r["sys_us"]) / (n["user_us"] + n["sys_us"]),
                          lambda r, n: r["p99"] / n["p99"]):
                rounds = [ratio(r, n) for r, n in zip(results[(name, c)], nginx)]
                cells.append(ratio_cell(rounds))
            lines.append(f"| {c} | {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"The larger worker's share of the connections {SPLIT_AT_S:g} s into each round (`ss -tnp`), as each round ran:")
    for c in CONNECTIONS:
        for name in ("drover", "nginx"):
            shares = [larger_share(r["split"]) for r in results[(name, c)]]
            lines.append(f"- {name} at {c}: " + " / ".join(f"{x:.2f}" for x in shares) + f", median {statistics.median(shares):.2f}.")
    return "\n".join(lines)


def targets(results, idle, after, archived_master, spawn_p50, spawn25, starts, ws, push):
    """Issue 8's targets, each with what this run measured and whether that meets it, judged as
    printed. A ratio to nginx is the median of the rounds' ratios."""
    rows = ["| target | measured | verdict |", "|---|---|---|"]

    def row(target, value, places, unit, met, note=""):
        """`met` judges `value` as the row prints it, to `places` decimal places."""
        printed = round(value, places)
        rows.append(f"| {target} | {printed:.{places}f}{unit}{note} | {'met' if met(printed) else '**missed**'} |")

    def ratio(c, of):
        return statistics.median(of(r, n) for r, n in zip(results[("drover", c)], results[("nginx", c)]))

    for c in CONNECTIONS:
        row(f"requests/s ≥ 1.0x nginx's, {c} connections", ratio(c, lambda r, n: r["rps"] / n["rps"]), 2, "x", lambda v: v >= 1.0)
        row(f"p99 latency ≤ nginx's, {c} connections", ratio(c, lambda r, n: r["p99"] / n["p99"]), 2, "x", lambda v: v <= 1.0)
        row(f"user CPU per request ≤ 1.0x nginx's, {c} connections", ratio(c, lambda r, n: r["user_us"] / n["user_us"]), 2, "x",
            lambda v: v <= 1.0)
        row(f"user + sys CPU per request ≤ 1.05x nginx's, {c} connections",
            ratio(c, lambda r, n: (r["user_us"] + r["sys_us"]) / (n["user_us"] + n["sys_us"])), 2, "x", lambda v: v <= 1.05)

    def mib(memories):
        return max(m.rss for m in memories) / 1024

    row("worker RSS idle ≤ 40 MiB (from the class archive)", mib(idle["workers_after_respawn"]), 1, " MiB", lambda v: v <= 40,
        f", the larger of {len(idle['workers_after_respawn'])} (a deploy's first workers, before their archive exists: "
        f"{mib(idle['workers']):.1f})")
    row("worker RSS after the load ≤ 64 MiB", mib(after["workers"]), 1, " MiB", lambda v: v <= 64, f", the larger of {len(after['workers'])}")
    row("master RSS ≤ 40 MiB", mib([idle["master"], after["master"], archived_master]), 1, " MiB", lambda v: v <= 40,
        ", the largest of a first start idle and after the load, and a later start")
    spawn_bound = 150 if JAVA_FEATURE >= 25 else 200
    row(f"worker spawn to READY p50 ≤ {spawn_bound} ms, Java {JAVA_FEATURE}", spawn_p50, 0, " ms", lambda v: v <= spawn_bound)
    if spawn25:
        row("worker spawn to READY p50 ≤ 150 ms, Java 25", spawn25[0], 0, " ms", lambda v: v <= 150)
    row("`start -d` to the first answered request ≤ 500 ms (with the class archives)", statistics.median(starts[1:]), 0, " ms",
        lambda v: v <= 500, f" (a deploy's first start: {starts[0]:.0f})")
    row("20,000 idle WebSockets on 2 workers: ≤ 6 KiB of RSS each", ws["per_connection_kib"], 1, " KiB", lambda v: v <= 6)
    row("20,000 idle WebSockets: no CPU while idle (taken as under 1% of a core: the JVMs' own timers)", ws["idle_cpu_ms"], 0,
        " ms in 10 s", lambda v: v < 100)
    row("push service: server CPU per delivered push ≤ 10 µs", push["cpu_us"], 1, " µs", lambda v: v <= 10)
    row("push service: delivery p99 ≤ 10 ms", push["p99"], 2, " ms", lambda v: v <= 10)
    return "\n".join(rows)


def write_report(work, results, idle, after, spawn_p50, spawn_p95, spawn25, starts, ws, push, cluster, allocated, kept, archived_master,
                 closing, peers):
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
    workerman_start_label = "; Workerman's `start -d` of a hello server (count 2, scripts/bench.d/hello.php)" if peers[1] else ""
    workerman_start = f"; Workerman {peers[1]:.0f} ms" if peers[1] else ""
    verdicts = targets(results, idle, after, archived_master, spawn_p50, spawn25, starts, ws, push)
    report = f"""# Performance

Measured by `scripts/bench` on {time.strftime("%Y-%m-%d")} on a {machine()} with {java}; wrk runs on the same
cores, so requests/s are capped by wrk and swing between runs, and machines of the same size differ
(nginx's own CPU per request with them; spawn and start times most): compare the ratios, measured side by side.
Every figure is the median of {ROUNDS} interleaved rounds of `wrk -t2 -cN -d{DURATION} --latency`, after one unmeasured run
of each server at each connection count (a JVM's JIT is still compiling for several seconds into its load).
RSS is VmRSS; PSS (in brackets) counts pages shared with other processes (libjvm's code) in shares.
CPU per request is the CPU time all of a server's processes spent during the run (from
`/proc/<pid>/stat`) divided by the requests served.

Issue 8's targets, as this run measured them (each figure is explained in the tables below):

{verdicts}

![requests/s and CPU per request](performance.png)

{table}

The targets against nginx, as ratios in each round (requests/s ≥ 1.00x, user CPU per request ≤ 1.00x,
user + sys ≤ 1.05x, p99 ≤ 1.00x); a round ran the three servers one after another (in an order that turns
by one each round), so its ratios share the machine's minute:

{against_nginx(results)}

Clients that open a connection per request (`wrk -t2 -c{CLOSE_CONNECTIONS} -d{DURATION} -H 'Connection: close'`: each
answer closes its connection), median of {CLOSE_ROUNDS} interleaved rounds after one unmeasured run of each server:

{closing_table(closing)}

drover, workers and master (Hello example, count 2, `start -d`):

| | measured |
|---|---|
| master RSS idle / after the load (the first start of a deploy: no class archive yet) | {idle['master']} / {after['master']} |
| master RSS idle, started from its class archive (a later `start -d` below, 3 s after its first answer) | {archived_master} |
| worker RSS idle (first start) | {listed(idle['workers'])} |
| worker RSS idle (respawned, class archive mapped; {SETTLE_S} s after the last spawn) | {listed(idle['workers_after_respawn'])} |
| worker RSS right after the load | {listed(after['workers'])} |
| worker RSS {SETTLE_S} s after the load (C heap trimmed every 5 s) | {listed(after['workers_settled'])} |
| Java heap allocated per hello request (both workers, from `jstat`, wrk -c64) | {allocated:.0f} bytes |
| worker spawn to READY (kill -9, 12 times) | p50 {spawn_p50:.0f} ms, p95 {spawn_p95:.0f} ms |
| the same on Java 25 (its workers killed in turn with those above) | {f"p50 {spawn25[0]:.0f} ms, p95 {spawn25[1]:.0f} ms" if spawn25 else "not measured: no Java 25 JDK found (JAVA25_HOME)"} |
| `start -d` to the first answered request | first start {starts[0]:.0f} ms; with the class archive {statistics.median(starts[1:]):.0f} ms |
| beside it: a plain JVM (the Netty baseline compiled, one process) from `java` to its first answer{workerman_start_label} | {peers[0]:.0f} ms (drover's later starts {statistics.median(starts[1:]) / peers[0]:.2f}x of it; the issue's target: 500 of ~650 ms, 0.77x){workerman_start} |
| WebSocket echo, 64 clients for 10 s after 5 s unmeasured (Echo example, count 2) | {ws['rate']:,.0f} round trips/s, {ws['cpu_us']:.1f} µs of server CPU each |
| 20,000 idle WebSocket connections on 2 workers | {ws['per_connection_kib']:.1f} KiB of RSS each ({ws['rss_before'] / 1024:.0f} → {ws['rss_after'] / 1024:.0f} MiB); {ws['idle_cpu_ms']:.0f} ms of CPU in 10 s idle |
| push service (Push example): 1,000 WebSocket browsers, 4 pushers × 64 pushes in flight, {DURATION} | {push['rate']:,.0f} pushes/s delivered, {push['cpu_us']:.1f} µs of server CPU per delivered push, delivery p50 {push['p50']:.2f} ms, p99 {push['p99']:.2f} ms, {push['fails']} `fail` answers (median of {PUSH_ROUNDS} runs, each after an unmeasured warm-up run of the same clients) |
| {peer_row(push)}
| the same, multi-process (`-Dpush.count=2`: 2 websocket and 2 text workers, the embedded ChannelServer, each push acknowledged by the holder's worker) | {cluster['rate']:,.0f} pushes/s delivered, {cluster['cpu_us']:.1f} µs of server CPU per delivered push, delivery p50 {cluster['p50']:.2f} ms, p99 {cluster['p99']:.2f} ms, {cluster['fails']} `fail` answers (median of {PUSH_ROUNDS} runs) |

"""
    report += kept
    with open(REPORT, "w") as f:
        f.write(report)
    return report


if __name__ == "__main__":
    main()
