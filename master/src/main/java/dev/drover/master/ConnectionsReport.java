package dev.drover.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code connections}: every open connection of every worker, in Workerman's table or as JSON.
 * Each worker sends rows of tab-separated fields (see {@link ControlMessage}).
 */
final class ConnectionsReport implements Report {
    private static final String[] FIELDS = {"id", "transport", "protocol", "local", "remote", "recv_q", "send_q",
        "bytes_read", "bytes_written", "state"};

    private final List<Map<String, Object>> connections = new ArrayList<>();
    /** The workers that did not answer in time (busy in a callback, stopped): their connections are not listed. */
    private final List<Map<String, Object>> unanswered = new ArrayList<>();

    /** A worker that did not answer in time. */
    void unanswered(int pid, String worker) {
        Map<String, Object> silent = new LinkedHashMap<>();
        silent.put("pid", pid);
        silent.put("worker", worker);
        unanswered.add(silent);
    }

    /**
     * Adds the rows one worker sent.
     *
     * @throws IllegalArgumentException for rows that are not a worker's (none of them is added)
     */
    void add(int pid, String worker, String rows) {
        List<Map<String, Object>> added = new ArrayList<>();
        for (String row : rows.split("\n")) {
            if (row.isBlank()) {
                continue;
            }
            String[] values = row.split("\t", -1);
            if (values.length != FIELDS.length) {
                throw new IllegalArgumentException(FIELDS.length + " fields in a row, not " + values.length + ": " + row);
            }
            Map<String, Object> connection = new LinkedHashMap<>();
            connection.put("pid", pid);
            connection.put("worker", worker);
            for (int i = 0; i < FIELDS.length && i < values.length; i++) {
                boolean number = i == 0 || (i >= 5 && i <= 8);
                connection.put(FIELDS[i], number ? (Object) Long.parseLong(values[i]) : values[i]);
            }
            boolean ip = !"unix".equals(connection.get("transport"));
            boolean ipv6 = String.valueOf(connection.get("local")).startsWith("[");
            connection.put("ipv4", ip && !ipv6);
            connection.put("ipv6", ip && ipv6);
            added.add(connection);
        }
        connections.addAll(added);
    }

    @Override
    public List<String> lines() {
        String format = "%-8s %-14s %-8s %-6s %-10s %-5s %-5s %-8s %-8s %-10s %-10s %-12s %-24s %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "PID", "Worker", "CID", "Trans", "Protocol", "ipv4", "ipv6", "Recv-Q", "Send-Q", "Bytes-R",
                "Bytes-W", "Status", "Local Address", "Foreign Address"));
        for (Map<String, Object> c : connections) {
            lines.add(String.format(format, c.get("pid"), c.get("worker"), c.get("id"), c.get("transport"), c.get("protocol"),
                    yes(c.get("ipv4")), yes(c.get("ipv6")), c.get("recv_q"), c.get("send_q"), c.get("bytes_read"), c.get("bytes_written"),
                    c.get("state"), c.get("local"), c.get("remote")));
        }
        for (Map<String, Object> silent : unanswered) {
            lines.add("worker[" + silent.get("worker") + ":" + silent.get("pid") + "] did not answer in time (busy in a callback, or stopped): "
                    + "its connections are not listed");
        }
        lines.add(connections.size() + " connections" + (unanswered.isEmpty() ? "" : " listed; " + unanswered.size() + " worker"
                + (unanswered.size() == 1 ? "" : "s") + " did not answer"));
        return lines;
    }

    private static String yes(Object flag) {
        return Boolean.TRUE.equals(flag) ? "1" : "0";
    }

    @Override
    public String json() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("connections", connections);
        report.put("unanswered", unanswered);
        return Json.write(report);
    }
}
