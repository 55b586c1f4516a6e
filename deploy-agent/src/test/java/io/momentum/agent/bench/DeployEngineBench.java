package io.momentum.agent.bench;

import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.deployer.PlanResolver;
import io.momentum.agent.deployer.TestSources;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import io.momentum.testing.GitRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Deploy-engine benchmark (a main(), not a test): native JGit vs g10k vs r10k (rugged and shellgit providers), on a
 * generated control repository of E environments x M modules, in one of two shapes:
 * <ul>
 *   <li>{@code git:ExM} (the historical one, kept for comparison with older results): M git modules, two thirds on a
 *       branch and one third on a tag, a small control repository;</li>
 *   <li>{@code site:ExM}, the shape of a real site: of the M modules two fifths on a git branch, one fifth on a git
 *       tag (whose branch has moved on), two fifths pinned Forge releases served by a Forge in this process
 *       ({@link BenchForge}, every engine pointed at it), and a control repository with 1,000 hiera files and 80
 *       site manifests.</li>
 * </ul>
 *
 * <p>Cases, in this order in every round: cold full deploy of every environment into fresh environment and cache
 * directories; no-change redeploy of every environment; one environment after one control-repository commit; one
 * module bumped (a new commit on a git module's branch) and the deploy an operator runs for a push to a module.
 * One warm-up round (for the engines named in {@code warmup}), then N measured rounds. Within a round every case
 * is run by each engine in turn, so that load from elsewhere on the machine hits them alike and all engines deploy
 * the same commits: after the first measured round the environments of all engines are compared file by file
 * ({@link EnvironmentTrees}) and the result printed. Prints one table per case: min, median and max seconds per
 * engine and the ratio of its median to native's. Fresh directories are never deleted between rounds (deleting a big
 * tree right before a cold run slows it on this disk); the whole work directory is removed at the end.
 *
 * <p>Usage: {@code DeployEngineBench [shape:ExM=git:3x20] [rounds=5]
 * [engines=native,g10k,r10k-rugged,r10k-shellgit] [warmup=all]}. An engine written {@code name:K} is measured in at
 * most K rounds (for the slow ones on big sizes); {@code warmup} is {@code all}, {@code none} or a list of engines.
 */
public final class DeployEngineBench {

    private static final String[] CASES = {"cold", "no-change", "one-env", "module"};
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "cold", "every environment into empty environment and cache directories",
            "no-change", "every environment again, nothing changed",
            "one-env", "one environment after one control-repository commit",
            "module", "one git module's branch got a new commit; the deploy an operator runs for a push to a module:"
                    + " native re-plans that module in every environment holding it and deploys them (Momentum's"
                    + " module request), `r10k deploy module NAME`, `g10k -module NAME` (every environment, that"
                    + " module only)");
    /** The module every round bumps: a git module on a branch in both shapes. */
    private static final String BUMPED = "module0";

    private final Path root;
    private final boolean site;
    private final int environments;
    private final int modules;
    private GitRepo control;
    private GitRepo bumped;
    private BenchForge forge;
    private final List<String> branches = new ArrayList<>();
    private int commits;

    private DeployEngineBench(Path root, boolean site, int environments, int modules) {
        this.root = root;
        this.site = site;
        this.environments = environments;
        this.modules = modules;
    }

    public static void main(String[] args) throws Exception {
        String size = args.length > 0 ? args[0] : "git:3x20";
        Matcher shape = Pattern.compile("(git|site):([0-9]+)x([0-9]+)").matcher(size);
        if (!shape.matches()) {
            throw new IllegalArgumentException("size is git:ExM or site:ExM, not " + size);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Map<String, Integer> engines = new LinkedHashMap<>();
        for (String spec : (args.length > 2 ? args[2] : "native,g10k,r10k-rugged,r10k-shellgit").split(",")) {
            String[] parts = spec.split(":", 2);
            engines.put(parts[0], parts.length > 1 ? Math.min(rounds, Integer.parseInt(parts[1])) : rounds);
        }
        String warmupSpec = args.length > 3 ? args[3] : "all";
        Set<String> warmup = switch (warmupSpec) {
            case "all" -> engines.keySet();
            case "none" -> Set.of();
            default -> new LinkedHashSet<>(List.of(warmupSpec.split(",")));
        };
        Path root = Files.createTempDirectory("momentum-bench");
        DeployEngineBench bench = new DeployEngineBench(root, shape.group(1).equals("site"),
                Integer.parseInt(shape.group(2)), Integer.parseInt(shape.group(3)));
        try {
            long generating = System.nanoTime();
            bench.generate();
            System.out.printf("generated %s in %.1f s%n", bench.what(), (System.nanoTime() - generating) / 1e9);
            Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
            for (String engine : engines.keySet()) {
                results.put(engine, new LinkedHashMap<>());
                for (String c : CASES) {
                    results.get(engine).put(c, new ArrayList<>());
                }
            }
            boolean checked = false;
            for (int round = 0; round <= rounds; round++) {
                List<String> taking = new ArrayList<>();
                for (Map.Entry<String, Integer> engine : engines.entrySet()) {
                    if (round > 0 ? round <= engine.getValue() : warmup.contains(engine.getKey())) {
                        taking.add(engine.getKey());
                    }
                }
                if (!taking.isEmpty()) {
                    boolean check = round > 0 && !checked && taking.size() > 1;
                    bench.round(round, taking, results, check);
                    checked |= check;
                }
            }
            bench.print(engines, warmup, results);
        } finally {
            bench.close();
            remove(root);
        }
    }

    /**
     * Removes the work directory: a big size leaves a million files and links, and one {@code rm} takes minutes on a
     * busy disk, so the entries four levels down (an environment's top entries, a cache's repositories) go in
     * batches, several {@code rm} at once.
     */
    private static void remove(Path root) throws IOException, InterruptedException {
        long removing = System.nanoTime();
        List<String> entries;
        try (Stream<Path> walk = Files.walk(root, 4)) {
            entries = walk.filter(path -> root.relativize(path).getNameCount() == 4).map(Path::toString).toList();
        }
        Deque<Process> running = new ArrayDeque<>();
        for (int from = 0; from < entries.size(); from += 64) {
            if (running.size() == 8) {
                running.removeFirst().waitFor();
            }
            List<String> command = new ArrayList<>(List.of("rm", "-rf", "--"));
            command.addAll(entries.subList(from, Math.min(entries.size(), from + 64)));
            running.add(new ProcessBuilder(command).inheritIO().start());
        }
        for (Process removal : running) {
            removal.waitFor();
        }
        new ProcessBuilder("rm", "-rf", "--", root.toString()).inheritIO().start().waitFor();
        System.out.printf("%nwork directory removed in %.1f s%n", (System.nanoTime() - removing) / 1e9);
    }

    private String what() {
        return site ? String.format("%d environments x %d modules (%d git on a branch, %d git on a tag, %d Forge),"
                + " control repository with 1,000 hiera files", environments, modules, gitBranchModules(),
                gitTagModules(), forgeModules()) : environments + " environments x " + modules + " git modules";
    }

    private void close() {
        for (AutoCloseable resource : new AutoCloseable[] {control, bumped, forge}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.out.println("closing: " + e);
                }
            }
        }
    }

    /** One round: every case by each engine in turn; the tree check after it when asked. */
    private void round(int round, List<String> taking, Map<String, Map<String, List<Double>>> results, boolean check)
            throws Exception {
        Map<String, Engine> deployers = new LinkedHashMap<>();
        try {
            for (String engine : taking) {
                Path run = root.resolve(engine + "-" + round);
                deployers.put(engine, engine(engine, run.resolve("environments"), run.resolve("cache")));
            }
            for (String c : CASES) {
                switch (c) {
                    case "one-env" -> control.amend(branches.get(0),
                            Map.of("manifests/site.pp", "node default { } # " + (++commits) + "\n"));
                    case "module" -> bumped.amend("main", Map.of("bump.txt", bump()));
                    default -> { }
                }
                StringBuilder line = new StringBuilder();
                for (Map.Entry<String, Engine> engine : deployers.entrySet()) {
                    Engine deployer = engine.getValue();
                    long requests = forge == null ? 0 : forge.requests();
                    double seconds = time(switch (c) {
                        case "cold", "no-change" -> deployer::deployAll;
                        case "one-env" -> () -> deployer.deployOne(branches.get(0));
                        default -> () -> deployer.deployModule(BUMPED);
                    });
                    line.append(String.format("%s%s %.3f s%s", line.isEmpty() ? "" : ", ", engine.getKey(), seconds,
                            forge == null ? "" : " (" + (forge.requests() - requests) + " Forge requests)"));
                    if (round > 0) {
                        results.get(engine.getKey()).get(c).add(seconds);
                    }
                }
                System.out.printf("round %d%s %-9s: %s; load average %s%n", round, round == 0 ? " (warm-up)" : "", c,
                        line, loadAverage());
            }
            if (check) {
                checkTrees(round, deployers.keySet());
            }
        } finally {
            deployers.values().forEach(Engine::close);
        }
    }

    private String bump() {
        return "bump " + commits + "\n";
    }

    /** Compares every engine's environments after this round with the first engine's, and prints the result. */
    private void checkTrees(int round, Set<String> engines) {
        long start = System.nanoTime();
        Map<String, SortedMap<String, SortedMap<String, String>>> trees = new LinkedHashMap<>();
        for (String engine : engines) {
            trees.put(engine, EnvironmentTrees.read(root.resolve(engine + "-" + round).resolve("environments"),
                    branches));
        }
        String first = engines.iterator().next();
        String bumpedFile = "modules/" + BUMPED + "/bump.txt";
        List<String> report = new ArrayList<>();
        boolean equal = true;
        for (Map.Entry<String, SortedMap<String, SortedMap<String, String>>> engine : trees.entrySet()) {
            SortedMap<String, SortedMap<String, String>> tree = engine.getValue();
            long bumpedIn = tree.values().stream().filter(files -> files.containsKey(bumpedFile)).count();
            report.add(String.format("  %-14s %d environments, %d files, digest %s; %s in %d of them", engine.getKey(),
                    tree.size(), EnvironmentTrees.fileCount(tree), EnvironmentTrees.digest(tree), bumpedFile,
                    bumpedIn));
            if (!engine.getKey().equals(first)) {
                List<String> differences = EnvironmentTrees.differences(trees.get(first), first, tree,
                        engine.getKey(), 12);
                equal &= differences.isEmpty();
                differences.forEach(line -> report.add("    " + line));
            }
        }
        System.out.printf("%ntree check after round %d (files and contents of every environment; .git, "
                + ".r10k-deploy.json, .g10k-deploy.json and g10k's .latest_commit left out): %s (%.1f s)%n", round,
                equal ? "ALL EQUAL" : "DIFFERENT", (System.nanoTime() - start) / 1e9);
        report.forEach(System.out::println);
        System.out.println();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void print(Map<String, Integer> engines, Set<String> warmup,
            Map<String, Map<String, List<Double>>> results) {
        System.out.printf("%n%s; rounds measured per engine: %s; warm-up round: %s%n", what(), engines,
                warmup.isEmpty() ? "none" : String.join(",", warmup));
        for (String c : CASES) {
            System.out.printf("%ncase %s (%s), seconds%n", c, DESCRIPTIONS.get(c));
            System.out.printf("%-14s %6s %8s %8s %8s   %s%n", "engine", "rounds", "min", "median", "max",
                    "median vs native");
            List<Double> nativeTimes = results.containsKey("native") ? results.get("native").get(c) : List.of();
            double nativeMedian = nativeTimes.isEmpty() ? Double.NaN : median(nativeTimes);
            results.forEach((engine, cases) -> {
                List<Double> times = cases.get(c);
                System.out.printf("%-14s %6d %8.3f %8.3f %8.3f   %s%n", engine, times.size(), min(times),
                        median(times), max(times), engine.equals("native") ? "-" : ratio(median(times), nativeMedian));
            });
        }
    }

    private static String ratio(double time, double nativeTime) {
        if (Double.isNaN(nativeTime) || nativeTime <= 0) {
            return "n/a";
        }
        double r = time / nativeTime;
        return r >= 1 ? String.format("%.1fx slower", r) : String.format("%.1fx faster", 1 / r);
    }

    private int forgeModules() {
        return site ? modules * 2 / 5 : 0;
    }

    private int gitTagModules() {
        return site ? modules / 5 : modules / 3;
    }

    private int gitBranchModules() {
        return modules - forgeModules() - gitTagModules();
    }

    /** What module {@code m} is: a git module on a branch, on a tag, or a Forge module. */
    private char kind(int m) {
        if (!site) {
            return m % 3 == 2 ? 't' : 'b';
        }
        return switch (m % 5) {
            case 0, 1 -> 'b';
            case 2 -> 't';
            default -> 'f';
        };
    }

    private void generate() throws Exception {
        if (site) {
            forge = new BenchForge();
        }
        String[] lines = new String[modules];
        // Mostly waiting for the disk: more writers than cores.
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> written = new ArrayList<>();
            for (int m = 0; m < modules; m++) {
                int module = m;
                written.add(writers.submit(() -> {
                    lines[module] = generateModule(module);
                    return null;
                }));
            }
            for (Future<?> done : written) {
                done.get();
            }
        } finally {
            writers.shutdownNow();
        }
        long controlStart = System.nanoTime();
        // The Puppetfile names the public Forge, as real ones do: an engine that read it instead of its own setting
        // would fail here (no network), so every engine must be pointed at the local Forge by its configuration.
        StringBuilder puppetfile = new StringBuilder("forge 'https://forgeapi.puppet.com'\n\n");
        for (String line : lines) {
            puppetfile.append(line);
        }
        Map<String, String> files = site ? siteControl() : new HashMap<>(Map.of("environment.conf",
                "modulepath = site:modules:$basemodulepath\n", "manifests/site.pp", "node default { }\n",
                "site/profile/manifests/base.pp", "class profile::base { }\n", "hieradata/common.yaml", "---\n"));
        files.put("Puppetfile", puppetfile.toString());
        for (int e = 0; e < environments; e++) {
            branches.add(e == 0 ? "production" : "env" + e);
        }
        Path controlDir = root.resolve("repos/control.git");
        if (site) {
            PackedRepository.writeBranches(controlDir, files, branches);
        }
        // Opens the packed one; the historical shape writes loose objects, as it always did.
        control = GitRepo.createBare(controlDir);
        if (!site) {
            branches.forEach(branch -> control.commit(branch, files));
        }
        System.out.printf("control repository: %d branches of %d files in %.1f s%n", environments, files.size(),
                (System.nanoTime() - controlStart) / 1e9);
    }

    /** Writes module {@code m} (a bare repository, or a Forge release) and returns its Puppetfile lines. */
    private String generateModule(int m) {
        String name = "module" + m;
        char kind = kind(m);
        if (kind == 'f') {
            String slug = "bench-" + name;
            Map<String, String> files = moduleFiles(name);
            files.put("metadata.json", "{\n  \"name\": \"" + slug + "\",\n  \"version\": \"1.0.0\",\n"
                    + "  \"author\": \"bench\",\n  \"summary\": \"" + name + "\",\n  \"license\": \"Apache-2.0\",\n"
                    + "  \"source\": \"https://git.example.com/" + name + "\",\n  \"dependencies\": []\n}\n");
            forge.publish(slug, "1.0.0", files);
            return "mod 'bench-" + name + "', '1.0.0'\n";
        }
        Path dir = root.resolve("repos/" + name + ".git");
        String line = "mod '" + name + "',\n  :git => '" + dir.toUri() + "',\n  "
                + (kind == 't' ? ":tag => 'v1.0.0'" : ":branch => 'main'") + "\n";
        if (site && !name.equals(BUMPED)) {
            Map<String, String> files = moduleFiles(name);
            files.put("metadata.json", "{\"name\":\"bench-" + name + "\",\"version\":\"1.0.0\"}\n");
            Map<String, String> next = null;
            if (kind == 't') {
                // A pinned tag whose branch has moved on, as on real sites: the engine must check out the tag.
                next = new HashMap<>(files);
                next.put("metadata.json", "{\"name\":\"bench-" + name + "\",\"version\":\"1.1.0-rc\"}\n");
            }
            try {
                PackedRepository.write(dir, files, kind == 't' ? "v1.0.0" : null, next);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return line;
        }
        // The historical shape writes loose objects, as it always did; the bumped module gets commits later.
        GitRepo module = GitRepo.createBare(dir);
        try {
            Map<String, String> files = moduleFiles(name);
            files.put("metadata.json", "{\"name\":\"bench-" + name + "\",\"version\":\"1.0.0\"}\n");
            String head = module.commit("main", files);
            module.tag("v1.0.0", head);
            if (site && kind == 't') {
                // A pinned tag whose branch has moved on, as on real sites: the engine must check out the tag.
                files.put("metadata.json", "{\"name\":\"bench-" + name + "\",\"version\":\"1.1.0-rc\"}\n");
                module.commit("main", files);
            }
            return line;
        } finally {
            if (name.equals(BUMPED)) {
                bumped = module;
            } else {
                module.close();
            }
        }
    }

    private static Map<String, String> moduleFiles(String name) {
        Map<String, String> files = new HashMap<>();
        files.put("README.md", ("# " + name + "\n").repeat(40));
        files.put("manifests/init.pp", "class " + name + " {\n" + "  notify { 'x': }\n".repeat(30) + "}\n");
        for (int f = 0; f < 8; f++) {
            files.put("manifests/part" + f + ".pp", ("class " + name + "::part" + f + " { }\n").repeat(20));
        }
        for (int f = 0; f < 5; f++) {
            files.put("templates/t" + f + ".erb", "<%= @value %>\n".repeat(60));
            files.put("files/f" + f + ".conf", ("key" + f + " = value\n").repeat(50));
        }
        files.put("lib/facter/" + name + ".rb", "Facter.add(:" + name + ") { setcode { 1 } }\n");
        files.put("spec/classes/" + name + "_spec.rb", "describe '" + name + "' do\nend\n");
        return files;
    }

    /** A real site's control repository, Puppetfile aside: 1,000 hiera files, roles and profiles. */
    private static Map<String, String> siteControl() {
        Map<String, String> files = new HashMap<>();
        files.put("environment.conf", "modulepath = site:modules:$basemodulepath\n");
        files.put("manifests/site.pp", "node default { include role::base }\n");
        files.put("hiera.yaml", "---\nversion: 5\ndefaults:\n  datadir: data\n  data_hash: yaml_data\nhierarchy:\n"
                + "  - name: nodes\n    path: \"nodes/%{trusted.certname}.yaml\"\n"
                + "  - name: roles\n    path: \"roles/%{facts.role}.yaml\"\n"
                + "  - name: locations\n    path: \"locations/%{facts.location}.yaml\"\n"
                + "  - name: os\n    path: \"os/%{facts.os.family}.yaml\"\n  - name: common\n    path: common.yaml\n");
        int hiera = 0;
        files.put("data/common.yaml", "---\nprofile::base::ntp_servers:\n  - ntp1.example.com\n  - ntp2.example.com\n");
        hiera++;
        for (int i = 0; i < 10; i++, hiera++) {
            files.put("data/os/family" + i + ".yaml", hieraData("os" + i, 10));
        }
        for (int i = 0; i < 40; i++, hiera++) {
            files.put("data/locations/dc" + i + ".yaml", hieraData("dc" + i, 12));
        }
        for (int i = 0; i < 100; i++, hiera++) {
            files.put("data/roles/role" + i + ".yaml", hieraData("role" + i, 20));
        }
        for (int i = 0; hiera < 1000; i++, hiera++) {
            files.put(String.format("data/nodes/node%04d.example.com.yaml", i), hieraData("node" + i, 8));
        }
        for (int i = 0; i < 60; i++) {
            files.put("site/profile/manifests/p" + i + ".pp", "class profile::p" + i + " (\n  String $setting = 'x',\n"
                    + ") {\n" + ("  include module" + i + "\n") + "}\n");
        }
        for (int i = 0; i < 20; i++) {
            files.put("site/role/manifests/r" + i + ".pp", "class role::r" + i + " {\n  include profile::p" + i
                    + "\n  include profile::p" + (i + 20) + "\n}\n");
        }
        return files;
    }

    private static String hieraData(String owner, int keys) {
        StringBuilder yaml = new StringBuilder("---\n# " + owner + "\n");
        for (int k = 0; k < keys; k++) {
            yaml.append("profile::p").append(k).append("::setting: '").append(owner).append("-").append(k)
                    .append("'\n");
        }
        yaml.append("profile::base::contacts:\n  - ops@example.com\n  - ").append(owner).append("@example.com\n");
        return yaml.toString();
    }

    private Engine engine(String name, Path environmentsDir, Path cacheDir) throws IOException {
        Files.createDirectories(environmentsDir);
        Files.createDirectories(cacheDir);
        Path r10k = cacheDir.resolve("r10k.yaml");
        return switch (name) {
            case "native" -> new NativeEngine(environmentsDir, cacheDir);
            case "g10k" -> {
                Path config = writeG10kConfig(environmentsDir, cacheDir);
                List<String> all = List.of("g10k", "-quiet", "-config", config.toString());
                yield new CommandEngine(cacheDir, all, branch -> concat(all, "-branch", branch),
                        module -> concat(all, "-module", module));
            }
            case "r10k-rugged", "r10k-shellgit" -> {
                writeR10kConfig(r10k, environmentsDir, cacheDir, name.substring(5));
                yield new CommandEngine(cacheDir,
                        List.of("r10k", "deploy", "environment", "--modules", "--config", r10k.toString()),
                        branch -> List.of("r10k", "deploy", "environment", branch, "--modules", "--config",
                                r10k.toString()),
                        module -> List.of("r10k", "deploy", "module", "--config", r10k.toString(), module));
            }
            default -> throw new IllegalArgumentException("unknown engine " + name);
        };
    }

    private static List<String> concat(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    private Path writeG10kConfig(Path environmentsDir, Path cacheDir) throws IOException {
        // g10k 0.9.7 reads the Forge from the top-level forge_base_url (it has no forge: baseurl: setting).
        return Files.writeString(cacheDir.resolve("g10k.yaml"), "---\n:cachedir: '" + cacheDir.resolve("g10k") + "'\n"
                + (forge == null ? "" : "forge_base_url: '" + forge.url() + "'\n")
                + "sources:\n  control:\n    remote: '" + control.url() + "'\n    basedir: '" + environmentsDir
                + "/'\n    prefix: false\n");
    }

    private void writeR10kConfig(Path config, Path environmentsDir, Path cacheDir, String provider)
            throws IOException {
        Files.writeString(config, "---\ncachedir: '" + cacheDir.resolve("r10k") + "'\n"
                + (forge == null ? "" : "forge:\n  baseurl: '" + forge.url() + "'\n")
                + "sources:\n  control:\n    remote: '" + control.url() + "'\n    basedir: '" + environmentsDir
                + "'\n    prefix: false\ngit:\n  provider: " + provider + "\n");
    }

    private interface Engine extends AutoCloseable {

        void deployAll() throws Exception;

        void deployOne(String branch) throws Exception;

        /** After a push to {@code module}'s repository. */
        void deployModule(String module) throws Exception;

        @Override
        void close();
    }

    /**
     * The native backend, deploying environments in parallel as the agent's scheduler does; each deploy is planned
     * first by the planner's resolver over the same cache, as on the MoM, where the planner and an agent share it
     * (both counted: r10k and g10k resolve too). A module push re-plans that module in every environment's latest
     * plan, as the agent's scheduler does for a module request.
     */
    private final class NativeEngine implements Engine {

        private final NativeDeployer deployer;
        private final PlanResolver planner;
        private final ExecutorService environmentsPool = Executors.newFixedThreadPool(Math.min(environments, 4));
        private final Map<String, DeployPlan> latest = new ConcurrentHashMap<>();

        NativeEngine(Path environmentsDir, Path cacheDir) {
            DeployerSettings settings = new DeployerSettings(environmentsDir, cacheDir,
                    List.of(TestSources.source("control", control.url(), null)),
                    forge == null ? "https://forgeapi.puppet.com" : forge.url(),
                    Math.max(4, Runtime.getRuntime().availableProcessors() * 2), Duration.ofMinutes(5), null,
                    GitRemotesFixture.plain(cacheDir), "rugged", 3);
            deployer = new NativeDeployer(settings);
            planner = deployer.planResolver();
        }

        /** As the agent's planner does a full sync: one request, each remote asked once for all environments. */
        @Override
        public void deployAll() throws Exception {
            long freshSince = System.nanoTime();
            inParallel(branches, branch -> deploy(branch, freshSince));
        }

        @Override
        public void deployOne(String branch) throws Exception {
            deploy(branch, System.nanoTime());
        }

        private void deploy(String branch, long freshSince) throws Exception {
            deploy(planner.resolve(UUID.randomUUID(), new EnvironmentTarget(branch, "control", control.url(),
                    branch, null), latest.get(branch), Instant.now(), freshSince).plan());
        }

        @Override
        public void deployModule(String module) throws Exception {
            List<String> holding = branches.stream().filter(branch -> latest.get(branch).modules().stream()
                    .anyMatch(m -> m.name().equals(module))).toList();
            long freshSince = System.nanoTime();
            inParallel(holding, branch -> deploy(planner.resolveModule(UUID.randomUUID(), latest.get(branch), module,
                    Instant.now(), freshSince).plan()));
        }

        private void deploy(DeployPlan plan) throws Exception {
            if (plan.status() != PlanStatus.PLANNED) {
                throw new IllegalStateException("planning " + plan.environment() + " failed: " + plan.error());
            }
            deployer.deploy(plan);
            latest.put(plan.environment(), plan);
        }

        private void inParallel(List<String> environments, ThrowingConsumer deploy) throws Exception {
            List<Future<?>> deploys = new ArrayList<>();
            for (String environment : environments) {
                deploys.add(environmentsPool.submit(() -> {
                    deploy.accept(environment);
                    return null;
                }));
            }
            for (Future<?> done : deploys) {
                done.get();
            }
        }

        @Override
        public void close() {
            environmentsPool.shutdownNow();
            deployer.close();
        }
    }

    /** g10k or r10k, run the way operators run them: all environments in one call, one environment, one module. */
    private static final class CommandEngine implements Engine {

        private final Path workDir;
        private final List<String> all;
        private final Function<String, List<String>> one;
        private final Function<String, List<String>> module;

        CommandEngine(Path workDir, List<String> all, Function<String, List<String>> one,
                Function<String, List<String>> module) {
            this.workDir = workDir;
            this.all = all;
            this.one = one;
            this.module = module;
        }

        @Override
        public void deployAll() throws Exception {
            run(all);
        }

        @Override
        public void deployOne(String branch) throws Exception {
            run(one.apply(branch));
        }

        @Override
        public void deployModule(String name) throws Exception {
            run(module.apply(name));
        }

        private void run(List<String> args) throws Exception {
            Process process = new ProcessBuilder(args).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("output.log").toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", args) + " failed: "
                        + Files.readString(workDir.resolve("output.log")));
            }
        }

        @Override
        public void close() {
        }
    }

    private interface ThrowingConsumer {
        void accept(String value) throws Exception;
    }

    private static double time(ThrowingRunnable action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
