package io.momentum.lb.backend.haproxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** HAProxy's Runtime API (admin socket) and master CLI, as far as the lb-config-service needs them. */
final class HaproxyRuntime {

    /** srv_admin_state bits (HAProxy's SRV_ADMF_*): forced maintenance and forced drain. */
    static final int ADMIN_FORCED_MAINT = 0x01;
    static final int ADMIN_FORCED_DRAIN = 0x08;

    /** One line of {@code show servers state}. */
    record RuntimeServer(String name, String address, int port, int operationalState, int adminState,
            int userWeight) {

        /** srv_op_state SRV_ST_RUNNING: up and taking traffic. */
        boolean running() {
            return operationalState == 2;
        }

        boolean maint() {
            return (adminState & ADMIN_FORCED_MAINT) != 0;
        }

        boolean drainFlag() {
            return (adminState & ADMIN_FORCED_DRAIN) != 0;
        }
    }

    /** The master CLI's {@code show proc}: the master's reload counter and the current workers' pids. */
    record ProcessTable(int masterReloads, Set<Long> workerPids, Set<Long> freshWorkerPids) {
    }

    private final Optional<UnixSocketClient> admin;
    private final Optional<UnixSocketClient> master;

    HaproxyRuntime(HaproxySettings settings) {
        this.admin = settings.adminSocket().map(UnixSocketClient::new);
        this.master = settings.masterSocket().map(UnixSocketClient::new);
    }

    boolean hasMaster() {
        return master.isPresent();
    }

    /** The servers of {@code backend} as HAProxy runs them; empty when the admin socket is not reachable. */
    Optional<List<RuntimeServer>> servers(String backend) {
        if (admin.isEmpty()) {
            return Optional.empty();
        }
        String response;
        try {
            response = admin.get().send("show servers state " + backend);
        } catch (IOException e) {
            return Optional.empty();
        }
        List<String> header = null;
        List<RuntimeServer> servers = new ArrayList<>();
        for (String line : response.split("\n")) {
            if (line.startsWith("# ")) {
                header = Arrays.asList(line.substring(2).trim().split("\\s+"));
            } else if (header != null && !line.isBlank()) {
                String[] fields = line.trim().split("\\s+");
                servers.add(new RuntimeServer(field(header, fields, "srv_name"), field(header, fields, "srv_addr"),
                        Integer.parseInt(field(header, fields, "srv_port")),
                        Integer.parseInt(field(header, fields, "srv_op_state")),
                        Integer.parseInt(field(header, fields, "srv_admin_state")),
                        Integer.parseInt(field(header, fields, "srv_uweight"))));
            }
        }
        return header == null ? Optional.empty() : Optional.of(servers);
    }

    /** Sends a Runtime API command whose success HAProxy reports with an empty answer or {@code okPrefix}. */
    void command(String command, String... okPrefixes) throws IOException {
        String answer = admin.orElseThrow(() -> new IOException("no admin socket configured"))
                .send(command).strip();
        if (answer.isEmpty() || Arrays.stream(okPrefixes).anyMatch(answer::startsWith)) {
            return;
        }
        throw new IOException("'" + command + "' answered: " + answer);
    }

    ProcessTable processes() throws IOException {
        String response = master.orElseThrow(() -> new IOException("no master socket configured")).send("show proc");
        int masterReloads = -1;
        Set<Long> workers = new HashSet<>();
        Set<Long> fresh = new HashSet<>();
        for (String line : response.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 3 || line.startsWith("#")) {
                continue;
            }
            if (fields[1].equals("master")) {
                masterReloads = Integer.parseInt(fields[2]);
            } else if (fields[1].equals("worker")) {
                long pid = Long.parseLong(fields[0]);
                workers.add(pid);
                if (fields[2].equals("0")) {
                    fresh.add(pid);
                }
            }
        }
        if (masterReloads < 0) {
            throw new IOException("unexpected 'show proc' answer: " + response.strip());
        }
        return new ProcessTable(masterReloads, workers, fresh);
    }

    /** Asks the master to reload; HAProxy 2.6 answers nothing, {@link #processes()} tells whether it worked. */
    void reload() throws IOException {
        master.orElseThrow(() -> new IOException("no master socket configured")).send("reload");
    }

    private static String field(List<String> header, String[] fields, String name) {
        int index = header.indexOf(name);
        if (index < 0 || index >= fields.length) {
            throw new IllegalStateException("'show servers state' lacks " + name);
        }
        return fields[index];
    }
}
