package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.source.Source;
import io.momentum.testing.GitRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys one control repository with the native backend and with the real r10k and finds the same files in every
 * environment, ignoring {@code .git} directories and the deploy metadata files. Skipped when r10k is missing.
 */
class R10kCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IGNORED = Set.of(".git", ".r10k-deploy.json");

    @TempDir
    Path tmp;

    @Test
    void nativeAndR10kDeployTheSameFiles() throws Exception {
        assumeTrue(ExternalDeployersTest.installed("r10k"), "r10k is not installed");
        try (GitRepo control = GitRepo.createBare(tmp.resolve("control.git"));
                GitRepo apache = GitRepo.createBare(tmp.resolve("apache.git"));
                GitRepo ntp = GitRepo.createBare(tmp.resolve("ntp.git"));
                GitRepo hiera = GitRepo.createBare(tmp.resolve("hiera.git"));
                ForgeStub forge = new ForgeStub()) {
            String apacheV1 = apache.commit("main", Map.of("manifests/init.pp", "class apache {}",
                    "templates/vhost.erb", "<%= @name %>", "README.md", "v1"));
            apache.tag("v1.0.0", apacheV1);
            apache.commit("main", Map.of("manifests/init.pp", "class apache { $v = 2 }", "README.md", "v2"));
            ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}", "spec/classes/ntp_spec.rb", "describe"));
            ntp.commit("develop", Map.of("manifests/init.pp", "class ntp { $dev = true }"));
            hiera.commit("master", Map.of("common.yaml", "---\nkey: value\n"));
            forge.publish("acme-thing", "1.2.3", Map.of("metadata.json", "{\"name\":\"acme-thing\",\"version\":\"1.2.3\"}",
                    "manifests/init.pp", "class thing {}"));

            String puppetfile = """
                    forge 'https://forgeapi.puppet.com'
                    mod 'puppetlabs-apache', :git => '%1$s', :tag => 'v1.0.0'
                    mod 'apache_head', :git => '%1$s', :branch => 'main'
                    mod 'apache_pinned', :git => '%1$s', :commit => '%2$s'
                    mod 'ntp',
                      :git => '%3$s',
                      :branch => :control_branch,
                      :default_branch => 'main'
                    mod 'hieradata', :git => '%4$s', :install_path => 'data'
                    mod 'acme/thing', '1.2.3'
                    mod 'role', :local => true
                    """.formatted(apache.url(), apacheV1, ntp.url(), hiera.url());
            Map<String, String> files = Map.of("Puppetfile", puppetfile, "environment.conf", "modulepath = site:modules\n",
                    "manifests/site.pp", "node default {}", "site/profile/manifests/base.pp", "class profile::base {}",
                    "modules/role/manifests/init.pp", "class role {}");
            control.commit("production", files);
            control.commit("develop", files);
            control.commit("feature/new-thing", Map.of("Puppetfile", "mod 'ntp', :git => '" + ntp.url() + "'\n",
                    "manifests/site.pp", "node default { include ntp }"));
            ntp.commit("master", Map.of("manifests/init.pp", "class ntp { $master = true }"));

            List<Source> sources = List.of(TestSources.source("control", control.url(), null));
            Path nativeDir = tmp.resolve("native");
            Path r10kDir = tmp.resolve("r10k");
            List<String> environments = List.of("production", "develop", "feature_new_thing");
            R10kDeployer r10k = new R10kDeployer(new DeployerSettings(r10kDir, tmp.resolve("r10k-cache"), sources,
                    forge.url(), 4, Duration.ofSeconds(120), null, GitRemotesFixture.plain(tmp), "rugged", 3));
            DeployerSettings nativeSettings = new DeployerSettings(nativeDir, tmp.resolve("native-cache"), sources,
                    forge.url(), 4, Duration.ofSeconds(60), null, GitRemotesFixture.plain(tmp), "rugged", 3);
            try (NativeDeployer nativeDeployer = new NativeDeployer(nativeSettings);
                    TestPlans plans = new TestPlans(nativeSettings)) {
                for (String environment : environments) {
                    String branch = environment.equals("feature_new_thing") ? "feature/new-thing" : environment;
                    DeployPlan plan = plans.plan(new EnvironmentTarget(environment, "control", control.url(), branch,
                            null));
                    nativeDeployer.deploy(plan);
                    r10k.deploy(plan);
                }
            }

            for (String environment : environments) {
                Path ours = nativeDir.resolve(environment).toRealPath();
                Path theirs = r10kDir.resolve(environment);
                assertThat(tree(ours)).as(environment).isNotEmpty().isEqualTo(tree(theirs));
                JsonNode ourInfo = JSON.readTree(ours.resolve(".r10k-deploy.json").toFile());
                JsonNode theirInfo = JSON.readTree(theirs.resolve(".r10k-deploy.json").toFile());
                assertThat(ourInfo.get("signature")).isEqualTo(theirInfo.get("signature"));
                assertThat(ourInfo.get("deploy_success")).isEqualTo(theirInfo.get("deploy_success"));
                assertThat(ourInfo.get("module_deploys")).as(environment).isEqualTo(theirInfo.get("module_deploys"));
                assertThat(fieldNames(ourInfo)).isEqualTo(fieldNames(theirInfo));
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Relative path -> what is there (file content, directory, symlink target, executable bit). A module directory
     * the native backend links to its shared tree ({@code .momentum/.modules}) is read through the link, as Puppet
     * reads it.
     */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        addTree(root, Path.of(""), tree);
        return tree;
    }

    private static void addTree(Path root, Path prefix, Map<String, String> tree) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = prefix.resolve(root.relativize(path));
                if (relative.toString().isEmpty() || containsIgnored(relative)) {
                    continue;
                }
                String what;
                if (isModuleTreeLink(path)) {
                    addTree(path.toRealPath(), relative, tree);
                    what = "dir";
                } else if (Files.isSymbolicLink(path)) {
                    what = "link:" + Files.readSymbolicLink(path);
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    what = "dir";
                } else {
                    what = (Files.isExecutable(path) ? "exec:" : "file:") + Files.readString(path);
                }
                tree.put(relative.toString(), what);
            }
        }
    }

    private static boolean isModuleTreeLink(Path path) throws IOException {
        return Files.isSymbolicLink(path) && Files.isDirectory(path)
                && path.toRealPath().getParent().endsWith(Path.of(".momentum", ".modules"));
    }

    private static boolean containsIgnored(Path relative) {
        for (Path part : relative) {
            if (IGNORED.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }
}
