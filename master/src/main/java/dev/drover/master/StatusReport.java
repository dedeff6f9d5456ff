package dev.drover.master;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code status}: Workerman's table (global header, one line per process, a summary) and the
 * same as JSON, whose schema is {@code docs/status.schema.json}.
 */
final class StatusReport implements Report {
    /** One worker process; {@code stats} is null when it did not answer in time (busy). */
    record Row(int id, int pid, String name, String listen, String state, long memoryBytes, Map<String, String> stats, double qps) {
        boolean busy() {
            return stats == null || "1".equals(stats.get("busy"));
        }

        long stat(String key) {
            return stats == null ? 0 : Long.parseLong(stats.getOrDefault(key, "0"));
        }
    }

    /** One group: name, listen address, count, and how often its workers exited with each status. */
    record GroupRow(String name, String listen, int count, Map<String, Integer> exitCounts) {}

    private static final String[] COUNTERS = {"connections", "send_fail", "timers", "total_request"};

    /**
     * Checks a worker's stats as the report reads them.
     *
     * @throws IllegalArgumentException naming a counter that is not a number
     */
    static void check(Map<String, String> stats) {
        for (String counter : COUNTERS) {
            String value = stats.getOrDefault(counter, "0");
            try {
                Long.parseLong(value);
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException(counter + " is " + value + ", not a number", notANumber);
            }
        }
    }

    private final String app;
    private final int masterPid;
    private final Instant startedAt;
    private final double[] load;
    private final String state;
    private final List<GroupRow> groups;
    private final List<Row> rows;

    StatusReport(String app, int masterPid, Instant startedAt, double[] load, String state, List<GroupRow> groups, List<Row> rows) {
        this.app = app;
        this.masterPid = masterPid;
        this.startedAt = startedAt;
        this.load = load.clone();
        this.state = state;
        this.groups = List.copyOf(groups);
        this.rows = List.copyOf(rows);
    }

    /** How long the master has run, by the wall clock it started by; none rather than negative after the clock was set back. */
    private Duration running() {
        Duration run = Duration.between(startedAt, Instant.now());
        return run.isNegative() ? Duration.ZERO : run;
    }

    @Override
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        Duration run = running();
        lines.add("-------------------------------------------- GLOBAL STATUS --------------------------------------------");
        lines.add(String.format("drover version: %-18s Java version: %s (%s)", Cli.VERSION, Runtime.version(), System.getProperty("os.arch")));
        lines.add(String.format("start time: %-22s run %d days %d hours %d minutes", time(startedAt), run.toDays(), run.toHoursPart(),
                run.toMinutesPart()));
        lines.add(String.format(Locale.ROOT, "load average: %.2f, %.2f, %.2f     event-loop: epoll (Netty)", load[0], load[1], load[2]));
        lines.add(String.format("master pid: %d (%s)   %d workers   %d processes", masterPid, state, groups.size(), rows.size()));
        lines.add(String.format("%-16s %-12s %s", "worker_name", "exit_status", "exit_count"));
        for (GroupRow group : groups) {
            if (group.exitCounts().isEmpty()) {
                lines.add(String.format("%-16s %-12s %d", group.name(), "0", 0));
            }
            group.exitCounts().forEach((status, count) -> lines.add(String.format("%-16s %-12s %d", group.name(), status, count)));
        }
        lines.add("-------------------------------------------- PROCESS STATUS -------------------------------------------");
        String format = "%-4s %-8s %-8s %-28s %-12s %-11s %-9s %-6s %-13s %-8s %s";
        lines.add(String.format(format, "id", "pid", "memory", "listening", "worker_name", "connections", "send_fail", "timers",
                "total_request", "qps", "status"));
        for (Row row : rows) {
            // A worker that did not answer has no counters to show: N/A, as in Workerman's table (and the summary leaves it out)
            boolean silent = row.stats() == null && row.pid() > 0;
            lines.add(String.format(Locale.ROOT, format, row.id(), row.pid() > 0 ? row.pid() : "-", megabytes(row.memoryBytes()), row.listen(),
                    row.name(), counter(row, "connections", silent), counter(row, "send_fail", silent), counter(row, "timers", silent),
                    counter(row, "total_request", silent), silent ? "N/A" : String.format(Locale.ROOT, "%.0f", row.qps()),
                    "[" + phase(row) + "]"));
        }
        lines.add("-------------------------------------------- PROCESS STATUS -------------------------------------------");
        lines.add(String.format(Locale.ROOT, format, "", "Summary", megabytes(sum(Row::memoryBytes)), "-", "-", sum(r -> r.stat("connections")),
                sum(r -> r.stat("send_fail")), sum(r -> r.stat("timers")), sum(r -> r.stat("total_request")),
                String.format(Locale.ROOT, "%.0f", rows.stream().mapToDouble(Row::qps).sum()), "[Summary]"));
        return lines;
    }

    /** The table's last column: a process on its way in or out says so; the others, idle or busy. */
    private static String phase(Row row) {
        return switch (row.state()) {
            case "stopping" -> "stopping";
            case "spawned" -> "starting"; // not ready: its silence is its start, not a callback that holds it
            default -> status(row);
        };
    }

    private static String counter(Row row, String key, boolean silent) {
        return silent ? "N/A" : Long.toString(row.stat(key));
    }

    private static String status(Row row) {
        if (row.pid() <= 0) {
            return "respawning";
        }
        return row.busy() ? "busy" : "idle";
    }

    private long sum(java.util.function.ToLongFunction<Row> value) {
        return rows.stream().mapToLong(value).sum();
    }

    private static String megabytes(long bytes) {
        return (bytes + 512 * 1024) / (1024 * 1024) + "M";
    }

    private static String time(Instant instant) {
        return LogFile.localTime(instant.toEpochMilli());
    }

    /** The status as JSON (docs/status.schema.json). */
    @Override
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("app", app);
        root.put("version", Cli.VERSION);
        Map<String, Object> master = new LinkedHashMap<>();
        master.put("pid", masterPid);
        master.put("state", state);
        master.put("start_time", startedAt.toString());
        master.put("run_seconds", running().toSeconds());
        master.put("load_average", List.of(load[0], load[1], load[2]));
        master.put("java_version", Runtime.version().toString());
        master.put("arch", System.getProperty("os.arch"));
        root.put("master", master);
        List<Object> groupList = new ArrayList<>();
        for (GroupRow group : groups) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", group.name());
            g.put("listen", group.listen());
            g.put("count", group.count());
            g.put("exit_status", new LinkedHashMap<>(group.exitCounts()));
            groupList.add(g);
        }
        root.put("workers", groupList);
        List<Object> processes = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", row.id());
            p.put("pid", row.pid());
            p.put("name", row.name());
            p.put("listen", row.listen());
            p.put("state", row.state());
            p.put("status", status(row));
            p.put("memory_bytes", row.memoryBytes());
            for (String counter : COUNTERS) {
                p.put(counter, row.stat(counter));
            }
            p.put("qps", row.qps());
            processes.add(p);
        }
        root.put("processes", processes);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("processes", rows.size());
        summary.put("memory_bytes", sum(Row::memoryBytes));
        for (String counter : COUNTERS) {
            summary.put(counter, sum(r -> r.stat(counter)));
        }
        summary.put("qps", rows.stream().mapToDouble(Row::qps).sum());
        root.put("summary", summary);
        return Json.write(root);
    }
}
