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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Deploy-engine benchmark (a main(), not a test): native JGit vs g10k vs r10k (rugged and shellgit providers), on
 * a generated control repository of E environments x M git modules.
 *
 * <p>Cases: cold full deploy of every environment into fresh environment and cache directories; no-change redeploy
 * of every environment; redeploy of one environment after one control-repository commit. One warm-up round (for the
 * engines named in {@code warmup}), then N measured rounds; engines take turns within each round. Prints one table
 * per case: min, median and max seconds per engine and the ratio of its median to native's. Fresh directories are
 * never deleted between rounds (deleting a big tree right before a cold run slows it on this disk); the whole work
 * directory is removed at the end.
 *
 * <p>Usage: {@code DeployEngineBench [environments=3] [modules=20] [rounds=5]
 * [engines=native,g10k,r10k-rugged,r10k-shellgit] [warmup=all]}. An engine written {@code name:K} is measured in at
 * most K rounds (for the slow ones on big sizes); {@code warmup} is {@code all}, {@code none} or a list of engines.
 */
public final class DeployEngineBench {

    private static final String[] CASES = {"cold", "no-change", "one-env"};
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "cold", "every environment into empty environment and cache directories",
            "no-change", "every environment again, nothing changed",
            "one-env", "one environment after one control-repository commit");

    private final Path root;
    private final int environments;
    private final int modules;
    private GitRepo control;
    private final List<String> branches = new ArrayList<>();
    private int commits;

    private DeployEngineBench(Path root, int environments, int modules) {
        this.root = root;
        this.environments = environments;
        this.modules = modules;
    }

    public static void main(String[] args) throws Exception {
        int environments = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int modules = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Map<String, Integer> engines = new LinkedHashMap<>();
        for (String spec : (args.length > 3 ? args[3] : "native,g10k,r10k-rugged,r10k-shellgit").split(",")) {
            String[] parts = spec.split(":", 2);
            engines.put(parts[0], parts.length > 1 ? Math.min(rounds, Integer.parseInt(parts[1])) : rounds);
        }
        String warmupSpec = args.length > 4 ? args[4] : "all";
        Set<String> warmup = switch (warmupSpec) {
            case "all" -> engines.keySet();
            case "none" -> Set.of();
            default -> new LinkedHashSet<>(List.of(warmupSpec.split(",")));
        };
        Path root = Files.createTempDirectory("momentum-bench");
        DeployEngineBench bench = new DeployEngineBench(root, environments, modules);
        try {
            long generating = System.nanoTime();
            bench.generate();
            System.out.printf("generated %d environments x %d git modules in %.1f s%n", environments, modules,
                    (System.nanoTime() - generating) / 1e9);
            Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
            for (String engine : engines.keySet()) {
                results.put(engine, new LinkedHashMap<>());
                for (String c : CASES) {
                    results.get(engine).put(c, new ArrayList<>());
                }
            }
            // Engines take turns within each round, so that load from elsewhere on the machine hits them alike.
            for (int round = 0; round <= rounds; round++) {
                for (Map.Entry<String, Integer> engine : engines.entrySet()) {
                    boolean measured = round > 0 && round <= engine.getValue();
                    if (measured || (round == 0 && warmup.contains(engine.getKey()))) {
                        bench.measure(engine.getKey(), round, results.get(engine.getKey()));
                    }
                }
            }
            bench.print(engines, warmup, results);
        } finally {
            if (bench.control != null) {
                bench.control.close();
            }
            new ProcessBuilder("rm", "-rf", "--", root.toString()).inheritIO().start().waitFor();
        }
    }

    private void print(Map<String, Integer> engines, Set<String> warmup,
            Map<String, Map<String, List<Double>>> results) {
        System.out.printf("%n%d environments x %d git modules; rounds measured per engine: %s; warm-up round: %s%n",
                environments, modules, engines, warmup.isEmpty() ? "none" : String.join(",", warmup));
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

    private void generate() {
        List<String> urls = new ArrayList<>();
        for (int m = 0; m < modules; m++) {
            try (GitRepo module = GitRepo.createBare(root.resolve("repos/module" + m + ".git"))) {
                Map<String, String> files = new HashMap<>();
                String name = "module" + m;
                files.put("metadata.json", "{\"name\":\"bench-" + name + "\",\"version\":\"1.0.0\"}\n");
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
                String head = module.commit("main", files);
                module.tag("v1.0.0", head);
                urls.add(module.url());
            }
        }
        StringBuilder puppetfile = new StringBuilder("forge 'https://forgeapi.puppet.com'\n\n");
        for (int m = 0; m < modules; m++) {
            // A mix of floating branches (must be fetched on every deploy) and pinned tags.
            puppetfile.append("mod 'module").append(m).append("',\n  :git => '").append(urls.get(m)).append("',\n  ")
                    .append(m % 3 == 2 ? ":tag => 'v1.0.0'" : ":branch => 'main'").append("\n");
        }
        control = GitRepo.createBare(root.resolve("repos/control.git"));
        for (int e = 0; e < environments; e++) {
            String branch = e == 0 ? "production" : "env" + e;
            branches.add(branch);
            control.commit(branch, Map.of("Puppetfile", puppetfile.toString(), "environment.conf",
                    "modulepath = site:modules:$basemodulepath\n", "manifests/site.pp", "node default { }\n",
                    "site/profile/manifests/base.pp", "class profile::base { }\n", "hieradata/common.yaml", "---\n"));
        }
    }

    private void measure(String engine, int round, Map<String, List<Double>> times) throws Exception {
        Path run = root.resolve(engine + "-" + round);
        Engine deployer = engine(engine, run.resolve("environments"), run.resolve("cache"));
        try {
            double cold = time(deployer::deployAll);
            double unchanged = time(deployer::deployAll);
            control.amend(branches.get(0), Map.of("manifests/site.pp", "node default { } # " + (++commits) + "\n"));
            double one = time(() -> deployer.deployOne(branches.get(0)));
            System.out.printf("%-14s round %d%s: cold %.3f s, no-change %.3f s, one-env %.3f s%n", engine, round,
                    round == 0 ? " (warm-up)" : "", cold, unchanged, one);
            if (round > 0) {
                times.get(CASES[0]).add(cold);
                times.get(CASES[1]).add(unchanged);
                times.get(CASES[2]).add(one);
            }
        } finally {
            deployer.close();
        }
    }

    private Engine engine(String name, Path environmentsDir, Path cacheDir) throws IOException {
        Files.createDirectories(environmentsDir);
        Files.createDirectories(cacheDir);
        return switch (name) {
            case "native" -> new NativeEngine(environmentsDir, cacheDir);
            case "g10k" -> new CommandEngine(cacheDir, writeG10kConfig(environmentsDir, cacheDir),
                    List.of("g10k", "-quiet", "-config"), "-branch");
            case "r10k-rugged" -> new CommandEngine(cacheDir, writeR10kConfig(environmentsDir, cacheDir, "rugged"),
                    List.of("r10k", "deploy", "environment", "--modules", "--config"), null);
            case "r10k-shellgit" -> new CommandEngine(cacheDir, writeR10kConfig(environmentsDir, cacheDir, "shellgit"),
                    List.of("r10k", "deploy", "environment", "--modules", "--config"), null);
            default -> throw new IllegalArgumentException("unknown engine " + name);
        };
    }

    private Path writeG10kConfig(Path environmentsDir, Path cacheDir) throws IOException {
        return Files.writeString(cacheDir.resolve("g10k.yaml"), "---\n:cachedir: '" + cacheDir.resolve("g10k") + "'\n"
                + "sources:\n  control:\n    remote: '" + control.url() + "'\n    basedir: '" + environmentsDir
                + "/'\n    prefix: false\n");
    }

    private Path writeR10kConfig(Path environmentsDir, Path cacheDir, String provider) throws IOException {
        return Files.writeString(cacheDir.resolve("r10k.yaml"), "---\ncachedir: '" + cacheDir.resolve("r10k") + "'\n"
                + "sources:\n  control:\n    remote: '" + control.url() + "'\n    basedir: '" + environmentsDir
                + "'\n    prefix: false\ngit:\n  provider: " + provider + "\n");
    }

    private interface Engine extends AutoCloseable {

        void deployAll() throws Exception;

        void deployOne(String branch) throws Exception;

        @Override
        void close();
    }

    /**
     * The native backend, deploying environments in parallel as the agent's scheduler does; each deploy is planned
     * first by the planner's resolver over the same cache, as on the MoM, where the planner and an agent share it
     * (both counted: r10k and g10k resolve too).
     */
    private final class NativeEngine implements Engine {

        private final NativeDeployer deployer;
        private final PlanResolver planner;
        private final ExecutorService environmentsPool = Executors.newFixedThreadPool(Math.min(environments, 4));

        NativeEngine(Path environmentsDir, Path cacheDir) {
            DeployerSettings settings = new DeployerSettings(environmentsDir, cacheDir,
                    List.of(TestSources.source("control", control.url(), null)), "https://forgeapi.puppet.com",
                    Math.max(4, Runtime.getRuntime().availableProcessors() * 2), Duration.ofMinutes(5), null,
                    GitRemotesFixture.plain(cacheDir), "rugged", 3);
            deployer = new NativeDeployer(settings);
            planner = deployer.planResolver();
        }

        @Override
        public void deployAll() throws Exception {
            List<Future<?>> deploys = new ArrayList<>();
            for (String branch : branches) {
                deploys.add(environmentsPool.submit(() -> {
                    deployOne(branch);
                    return null;
                }));
            }
            for (Future<?> deploy : deploys) {
                deploy.get();
            }
        }

        @Override
        public void deployOne(String branch) throws Exception {
            DeployPlan plan = planner.plan(UUID.randomUUID(), new EnvironmentTarget(branch, "control", control.url(),
                    branch, null), null, Instant.now());
            if (plan.status() != PlanStatus.PLANNED) {
                throw new IllegalStateException("planning " + branch + " failed: " + plan.error());
            }
            deployer.deploy(plan);
        }

        @Override
        public void close() {
            environmentsPool.shutdownNow();
            deployer.close();
        }
    }

    /** g10k or r10k, run the way operators run them: all environments in one call, or one named environment. */
    private static final class CommandEngine implements Engine {

        private final Path workDir;
        private final List<String> command;
        private final String branchFlag;

        CommandEngine(Path workDir, Path config, List<String> prefix, String branchFlag) {
            this.workDir = workDir;
            this.command = new ArrayList<>(prefix);
            this.command.add(config.toString());
            this.branchFlag = branchFlag;
        }

        @Override
        public void deployAll() throws Exception {
            run(command);
        }

        @Override
        public void deployOne(String branch) throws Exception {
            List<String> one = new ArrayList<>(command);
            if (branchFlag != null) {
                one.addAll(List.of(branchFlag, branch));
            } else {
                one.add(3, branch);
            }
            run(one);
        }

        private void run(List<String> args) throws Exception {
            Process process = new ProcessBuilder(args).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("output.log").toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", args) + " failed: "
                        + Files.readString(workDir.resolve("output.log")));
            }
        }

        @Override
        public void close() {
        }
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
