package io.momentum.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped install held against itself: each unit in deploy/systemd with its deploy/config/&lt;service&gt;.properties
 * (commented-out alternatives included), deploy/sysusers.d, deploy/tmpfiles.d, deploy/polkit and the shipped
 * load-balancer configs. What a service's configuration makes it write must be writable inside its unit's sandbox
 * and exist owned by its user; what it runs must be allowed for that user. Not a running install: plain JUnit over
 * the files, plus {@code systemd-analyze verify} when this machine has it.
 */
class InstallLayoutTest {

    /** Keys whose path the services write: a directory, or a file replaced by a rename in its directory. */
    private static final Map<String, Boolean> WRITTEN_IS_FILE = Map.of(
            "momentum.lb.state-dir", false,
            "momentum.lb.nginx.output-file", true,
            "momentum.lb.haproxy.config-file", true,
            "momentum.deploy.environments-dir", false,
            "momentum.deploy.cache-dir", false);
    /** Environment variables naming a directory the service or its child processes write. */
    private static final Set<String> WRITTEN_ENVIRONMENT = Set.of("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
            "XDG_DATA_HOME", "TMPDIR");
    /** Users that other packages create, so deploy/sysusers.d does not. */
    private static final Map<String, String> PACKAGE_USERS = Map.of("puppet", "the Puppet Server package");
    private static final Set<String> PRIVILEGE_HELPERS = Set.of("sudo", "su", "doas", "pkexec", "runuser");

    /** deploy/systemd/momentum-lb-config-service.service as committed in 93e0689, before issue 13. */
    private static final String LB_UNIT_BEFORE_ISSUE_13 = """
            [Unit]
            Description=Momentum load-balancer config service (master status -> nginx/HAProxy upstreams)
            After=network-online.target
            Wants=network-online.target

            [Service]
            Type=simple
            User=momentum
            Group=momentum
            WorkingDirectory=/opt/momentum/lb-config-service
            EnvironmentFile=-/etc/momentum/lb-config-service.env
            ExecStart=/usr/bin/java -Xms128m -Xmx512m -jar /opt/momentum/lb-config-service/quarkus-run.jar
            SuccessExitStatus=143
            Restart=on-failure
            RestartSec=5
            TimeoutStopSec=60
            NoNewPrivileges=true
            ProtectSystem=full
            PrivateTmp=true

            [Install]
            WantedBy=multi-user.target
            """;

    private static final Path ROOT = repositoryRoot();
    private static final Path DEPLOY = ROOT.resolve("deploy");

    static Stream<String> services() throws IOException {
        try (Stream<Path> units = Files.list(DEPLOY.resolve("systemd"))) {
            return units.map(u -> u.getFileName().toString()).filter(n -> n.endsWith(".service"))
                    .map(n -> n.substring("momentum-".length(), n.length() - ".service".length())).sorted()
                    .toList().stream();
        }
    }

    @Test
    void everyServiceShipsAUnitAndAConfiguration() throws IOException {
        assertThat(services()).containsExactlyInAnyOrder("deploy-agent", "health-monitor", "lb-config-service",
                "notifier", "webhook-service");
        for (String service : services().toList()) {
            assertThat(DEPLOY.resolve("config/" + service + ".properties")).isRegularFile();
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void theUnitAllowsWhatItsShippedConfigurationDoesAndNothingIsMissing(String service) throws IOException {
        assertThat(problems(Unit.parse(read("systemd/momentum-" + service + ".service")), shippedConfig(service),
                Install.shipped())).isEmpty();
    }

    @Test
    void theLbUnitShippedBeforeIssue13IsRefused() throws IOException {
        List<String> problems = problems(Unit.parse(LB_UNIT_BEFORE_ISSUE_13), shippedConfig("lb-config-service"),
                Install.shipped());

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("/etc/nginx/momentum")
                .contains("ProtectSystem=full makes it read-only"));
    }

    @Test
    void aReloadThePolkitRuleDoesNotGrantIsRefused() throws IOException {
        List<String> problems = problems(lbUnit(), shippedConfig("lb-config-service")
                .with("momentum.lb.nginx.reload-command=systemctl,restart,nginx.service"), Install.shipped());

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("systemctl restart nginx.service")
                .contains("no polkit rule"));
    }

    @Test
    void sudoUnderNoNewPrivilegesIsRefused() throws IOException {
        List<String> problems = problems(lbUnit(), shippedConfig("lb-config-service")
                .with("momentum.lb.nginx.reload-command=sudo,/usr/sbin/nginx,-s,reload"), Install.shipped());

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("sudo").contains("NoNewPrivileges"));
    }

    @Test
    void nginxTestOfTheRealConfigurationAsAnUnprivilegedUserIsRefused() throws IOException {
        Config config = new Config(shippedConfig("lb-config-service").settings().stream()
                .filter(s -> !s.key().equals("momentum.lb.nginx.validation")).toList());

        assertThat(problems(lbUnit(), config, Install.shipped()))
                .anySatisfy(p -> assertThat(p).contains("momentum.lb.nginx.validation=reload"));
    }

    @Test
    void aDirectoryWithoutATmpfilesEntryOwnedByTheUserIsRefused() throws IOException {
        List<String> problems = problems(lbUnit(), shippedConfig("lb-config-service")
                .with("momentum.lb.nginx.output-file=/etc/nginx/momentum-elsewhere/puppet.conf"), Install.shipped());

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("/etc/nginx/momentum-elsewhere")
                .contains("no tmpfiles.d entry"));
    }

    @Test
    void systemdAnalyzeVerifyAcceptsEveryUnit() throws Exception {
        Optional<Path> analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(analyze.isPresent(), "systemd-analyze is not installed");
        List<String> command = new ArrayList<>(List.of(analyze.get().toString(), "verify"));
        for (String service : services().toList()) {
            command.add(DEPLOY.resolve("systemd/momentum-" + service + ".service").toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // verify warns (unknown keys, unparsable values) without failing: any output is a finding
        assertThat(output).isEmpty();
        assertThat(process.exitValue()).isZero();
    }

    // ---- the checks

    static List<String> problems(Unit unit, Config config, Install install) {
        List<String> problems = new ArrayList<>();
        String user = unit.service("User").orElse("root");
        String group = unit.service("Group").orElse(user);
        boolean root = user.equals("root");
        if (!root && !install.users().contains(user) && !PACKAGE_USERS.containsKey(user)) {
            problems.add("User=" + user + " is created by no sysusers.d file");
        }
        if (!unit.service("Restart").map(r -> r.equals("on-failure") || r.equals("always")).orElse(false)) {
            problems.add("Restart= is not on-failure: a crashed service stays down");
        }

        Map<Path, String> written = new LinkedHashMap<>();
        for (Setting setting : config.settings()) {
            Boolean isFile = WRITTEN_IS_FILE.get(setting.key());
            if (isFile != null && !setting.value().isBlank()) {
                Path path = Path.of(setting.value()).normalize();
                written.put(isFile ? path.getParent() : path, setting.key());
            }
        }
        for (String assignment : unit.serviceAll("Environment")) {
            for (String word : assignment.split("\\s+")) {
                String[] pair = word.replace("\"", "").split("=", 2);
                if (pair.length == 2 && WRITTEN_ENVIRONMENT.contains(pair[0])) {
                    written.put(Path.of(unit.resolveSpecifiers(pair[1])).normalize(), "Environment=" + pair[0]);
                }
            }
        }
        for (Map.Entry<Path, String> entry : written.entrySet()) {
            Path dir = entry.getKey();
            String why = dir + " (" + entry.getValue() + ")";
            unit.readOnlyReason(dir).ifPresent(reason -> problems.add("writes " + why + " but " + reason
                    + ": add it to ReadWritePaths= (or StateDirectory=/CacheDirectory=)"));
            if (!unit.managedDirectories().contains(dir)) {
                List<TmpfilesEntry> entries = install.tmpfiles().stream().filter(t -> t.path().equals(dir)).toList();
                if (entries.isEmpty()) {
                    problems.add("writes " + why + " but no tmpfiles.d entry creates it for " + user
                            + " (nor a StateDirectory=/CacheDirectory= of the unit)");
                }
                entries.stream().filter(t -> !t.user().equals(user) || !(t.group().equals(group) || t.group()
                        .equals("-"))).forEach(t -> problems.add("writes " + why + " but tmpfiles.d makes it "
                        + t.user() + ":" + t.group() + ", not " + user + ":" + group));
            }
        }

        boolean noNewPrivileges = unit.service("NoNewPrivileges").map(Unit::isTrue).orElse(false);
        List<List<String>> commands = new ArrayList<>();
        config.settings().stream().filter(s -> s.key().endsWith("-command") && !s.value().isBlank())
                .forEach(s -> commands.add(List.of(s.value().split(","))));
        for (String exec : List.of("ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload", "ExecStop")) {
            unit.serviceAll(exec).forEach(line -> commands.add(List.of(line.replaceFirst("^[-@:+!]+", "")
                    .split("\\s+"))));
        }
        for (List<String> command : commands) {
            String program = Path.of(command.get(0)).getFileName().toString();
            String shown = String.join(" ", command);
            if (PRIVILEGE_HELPERS.contains(program) && noNewPrivileges) {
                problems.add("runs '" + shown + "' but " + program
                        + " cannot gain privileges under NoNewPrivileges=true");
            }
            if (!root && program.equals("systemctl")) {
                List<String> words = command.stream().skip(1).filter(w -> !w.startsWith("-")).toList();
                String verb = words.isEmpty() ? "" : words.get(0);
                for (String target : words.stream().skip(1).toList()) {
                    String unitName = target.contains(".") ? target : target + ".service";
                    if (!install.polkitGrants().contains(user + " " + verb + " " + unitName)) {
                        problems.add("runs '" + shown + "' as " + user + " but no polkit rule lets " + user
                                + " run 'systemctl " + verb + " " + unitName + "'");
                    }
                }
            }
        }

        if (!root && config.anyValueContains("momentum.lb.backends", "nginx")) {
            if (!config.active("momentum.lb.nginx.validation").orElse("candidate").equals("reload")) {
                problems.add("nginx -t cannot test the real nginx.conf as " + user
                        + " (pid file, temp directories, keys): set momentum.lb.nginx.validation=reload");
            }
            if (config.active("momentum.lb.nginx.reload-command").isEmpty()) {
                problems.add("nginx -s reload as " + user + " cannot signal root's nginx master: set "
                        + "momentum.lb.nginx.reload-command=systemctl,reload,nginx.service");
            }
        }
        if (!root && config.anyValueContains("momentum.lb.backends", "haproxy")) {
            if (config.all("momentum.lb.haproxy.reload-command").isEmpty()) {
                problems.add("HAProxy's master CLI belongs to root: set momentum.lb.haproxy.reload-command");
            }
            for (String socket : config.all("momentum.lb.haproxy.admin-socket")) {
                Matcher line = Pattern.compile("(?m)^\\s*stats socket " + Pattern.quote(socket) + "\\s(.*)$")
                        .matcher(install.haproxyConfig());
                if (!line.find() || !(line.group(1).contains("group " + group)
                        || line.group(1).contains("user " + user))) {
                    problems.add("momentum.lb.haproxy.admin-socket=" + socket + " is no stats socket of "
                            + "deploy/haproxy/haproxy.cfg that " + user + " may open (user/group option)");
                }
            }
        }
        return problems;
    }

    // ---- the files

    record Setting(String key, String value, boolean commented) {
    }

    /** A properties file, its commented-out alternatives ({@code #momentum.x=...}) included. */
    record Config(List<Setting> settings) {

        private static final Pattern LINE = Pattern.compile("^(#?)\\s*((?:momentum|quarkus)\\.[\\w.\\-\\[\\]]+)=(.*)$");

        static Config parse(String text) {
            List<Setting> settings = new ArrayList<>();
            for (String line : text.split("\n")) {
                Matcher matcher = LINE.matcher(line.strip());
                if (matcher.matches()) {
                    settings.add(new Setting(matcher.group(2), matcher.group(3).strip(), !matcher.group(1).isEmpty()));
                }
            }
            return new Config(settings);
        }

        Config with(String line) {
            List<Setting> more = new ArrayList<>(settings);
            more.addAll(parse(line).settings());
            return new Config(more);
        }

        Optional<String> active(String key) {
            return settings.stream().filter(s -> s.key().equals(key) && !s.commented()).map(Setting::value)
                    .reduce((first, second) -> second);
        }

        List<String> all(String key) {
            return settings.stream().filter(s -> s.key().equals(key)).map(Setting::value).toList();
        }

        boolean anyValueContains(String key, String word) {
            return all(key).stream().anyMatch(v -> List.of(v.split(",")).contains(word));
        }
    }

    /** A systemd unit: its [Service] assignments in order (list settings accumulate). */
    record Unit(Map<String, List<String>> service) {

        static Unit parse(String text) {
            Map<String, List<String>> service = new LinkedHashMap<>();
            String section = "";
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    section = line;
                } else if (section.equals("[Service]") && line.contains("=")) {
                    String[] pair = line.split("=", 2);
                    service.computeIfAbsent(pair[0].strip(), k -> new ArrayList<>()).add(pair[1].strip());
                }
            }
            return new Unit(service);
        }

        Optional<String> service(String key) {
            List<String> values = serviceAll(key);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
        }

        List<String> serviceAll(String key) {
            return service.getOrDefault(key, List.of());
        }

        List<Path> paths(String key) {
            return serviceAll(key).stream().flatMap(v -> Stream.of(v.split("\\s+"))).filter(w -> !w.isBlank())
                    .map(w -> Path.of(resolveSpecifiers(w.replaceFirst("^[-+]+", ""))).normalize()).toList();
        }

        /** StateDirectory= and friends: systemd creates them owned by User= and leaves them writable. */
        List<Path> managedDirectories() {
            List<Path> dirs = new ArrayList<>();
            Map.of("StateDirectory", "/var/lib", "CacheDirectory", "/var/cache", "LogsDirectory", "/var/log",
                    "RuntimeDirectory", "/run").forEach((key, base) -> serviceAll(key).stream()
                    .flatMap(v -> Stream.of(v.split("\\s+"))).filter(w -> !w.isBlank())
                    .forEach(w -> dirs.add(Path.of(base, w.split(":")[0]).normalize())));
            return dirs;
        }

        /** Why the sandbox keeps {@code dir} read-only; empty when the service may write it. */
        Optional<String> readOnlyReason(Path dir) {
            if (paths("InaccessiblePaths").stream().anyMatch(dir::startsWith)) {
                return Optional.of("InaccessiblePaths= hides it");
            }
            String home = service("ProtectHome").orElse("no");
            if (!home.equals("no") && !home.equals("false")
                    && Stream.of("/home", "/root", "/run/user").anyMatch(dir::startsWith)) {
                return Optional.of("ProtectHome=" + home + " hides it");
            }
            boolean readWrite = paths("ReadWritePaths").stream().anyMatch(dir::startsWith)
                    || managedDirectories().stream().anyMatch(dir::startsWith);
            if (readWrite) {
                return Optional.empty();
            }
            if (paths("ReadOnlyPaths").stream().anyMatch(dir::startsWith)) {
                return Optional.of("ReadOnlyPaths= makes it read-only");
            }
            if (service("PrivateTmp").map(Unit::isTrue).orElse(false)
                    && (dir.startsWith("/tmp") || dir.startsWith("/var/tmp"))) {
                return Optional.empty();
            }
            String protect = service("ProtectSystem").orElse("no");
            List<String> readOnly = switch (protect) {
                case "strict" -> List.of("/");
                case "full" -> List.of("/usr", "/boot", "/efi", "/etc");
                case "yes", "true", "on", "1" -> List.of("/usr", "/boot", "/efi");
                default -> List.of();
            };
            boolean api = Stream.of("/dev", "/proc", "/sys").anyMatch(dir::startsWith);
            return !api && readOnly.stream().anyMatch(dir::startsWith)
                    ? Optional.of("ProtectSystem=" + protect + " makes it read-only")
                    : Optional.empty();
        }

        String resolveSpecifiers(String value) {
            return value.replace("%S", "/var/lib").replace("%C", "/var/cache").replace("%L", "/var/log")
                    .replace("%t", "/run").replace("%T", "/tmp");
        }

        static boolean isTrue(String value) {
            return Set.of("yes", "true", "on", "1").contains(value);
        }
    }

    record TmpfilesEntry(String type, Path path, String user, String group) {
    }

    /** sysusers.d, tmpfiles.d, the polkit rules and the shipped HAProxy configuration. */
    record Install(Set<String> users, List<TmpfilesEntry> tmpfiles, Set<String> polkitGrants, String haproxyConfig) {

        private static final Pattern POLKIT_USER = Pattern.compile("subject\\.user\\s*==\\s*\"([^\"]+)\"");
        private static final Pattern POLKIT_VERB = Pattern.compile("lookup\\(\"verb\"\\)\\s*==\\s*\"([^\"]+)\"");
        private static final Pattern POLKIT_UNIT = Pattern.compile("lookup\\(\"unit\"\\)\\s*==\\s*\"([^\"]+)\"");

        static Install shipped() throws IOException {
            Set<String> users = new HashSet<>();
            for (String line : lines("sysusers.d", ".conf")) {
                String[] fields = line.split("\\s+");
                if (fields.length >= 2 && fields[0].equals("u")) {
                    users.add(fields[1]);
                }
            }
            List<TmpfilesEntry> tmpfiles = new ArrayList<>();
            for (String line : lines("tmpfiles.d", ".conf")) {
                String[] fields = line.split("\\s+");
                if (fields.length >= 5 && Set.of("d", "D", "v", "q", "Q", "z", "Z").contains(fields[0])) {
                    tmpfiles.add(new TmpfilesEntry(fields[0], Path.of(fields[1]).normalize(), fields[3], fields[4]));
                }
            }
            // one rule per file of the shape if (manage-units && user && verb && unit) return YES
            Set<String> grants = new HashSet<>();
            for (Path rules : files("polkit", ".rules")) {
                String js = Files.readString(rules);
                if (!js.contains("org.freedesktop.systemd1.manage-units") || !js.contains("polkit.Result.YES")) {
                    continue;
                }
                for (String user : matches(POLKIT_USER, js)) {
                    for (String verb : matches(POLKIT_VERB, js)) {
                        for (String unit : matches(POLKIT_UNIT, js)) {
                            grants.add(user + " " + verb + " " + unit);
                        }
                    }
                }
            }
            return new Install(users, tmpfiles, grants, read("haproxy/haproxy.cfg"));
        }

        private static List<String> lines(String dir, String suffix) throws IOException {
            List<String> lines = new ArrayList<>();
            for (Path file : files(dir, suffix)) {
                Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .forEach(lines::add);
            }
            return lines;
        }

        private static List<Path> files(String dir, String suffix) throws IOException {
            try (Stream<Path> files = Files.list(DEPLOY.resolve(dir))) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
            }
        }

        private static List<String> matches(Pattern pattern, String text) {
            List<String> found = new ArrayList<>();
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        }
    }

    private static Unit lbUnit() throws IOException {
        return Unit.parse(read("systemd/momentum-lb-config-service.service"));
    }

    private static Config shippedConfig(String service) throws IOException {
        return Config.parse(read("config/" + service + ".properties"));
    }

    private static String read(String deployPath) throws IOException {
        return Files.readString(DEPLOY.resolve(deployPath));
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/systemd"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/systemd above " + Path.of("").toAbsolutePath());
    }
}
