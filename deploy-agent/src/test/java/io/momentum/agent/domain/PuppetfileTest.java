package io.momentum.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.agent.domain.ModuleSpec.RefKind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Plain JUnit: the Puppetfile grammar is pure domain logic. */
class PuppetfileTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("hash rockets", "mod 'apache', :git => 'https://git.example/apache.git', :tag => 'v1.2.0'",
                        new ModuleSpec.Git("apache", "modules", 1, "https://git.example/apache.git", RefKind.TAG,
                                "v1.2.0", null, null, false)),
                Arguments.of("labels", "mod 'puppetlabs-ntp', git: 'file:///srv/ntp.git', branch: 'main'",
                        new ModuleSpec.Git("ntp", "modules", 1, "file:///srv/ntp.git", RefKind.BRANCH, "main", null,
                                null, false)),
                Arguments.of("ref", "mod \"a\", :git => \"u\", :ref => \"1.0\"",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.REF, "1.0", null, null, false)),
                Arguments.of("commit", "mod 'a', :git => 'u', :commit => 'abcdef0123456789abcdef0123456789abcdef01'",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.COMMIT,
                                "abcdef0123456789abcdef0123456789abcdef01", null, null, false)),
                Arguments.of("no ref means master, like r10k", "mod 'a', :git => 'u'",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.BRANCH, "master", null, null, false)),
                Arguments.of("control branch", "mod 'a', :git => 'u', :branch => :control_branch, :default_branch => 'main'",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.CONTROL_BRANCH, null, "main", null, false)),
                Arguments.of("multi-line with comments",
                        "# header\n\nmod 'apache',\n  :git => 'u', # trailing comment\n\n  :ref => 'x'\n",
                        new ModuleSpec.Git("apache", "modules", 3, "u", RefKind.REF, "x", null, null, false)),
                Arguments.of("parentheses and braces", "mod('a', { :git => 'u',\n :tag => 't' })",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.TAG, "t", null, null, false)),
                Arguments.of("install path", "mod 'a', :git => 'u', :tag => 't', :install_path => 'site/./'",
                        new ModuleSpec.Git("a", "site", 1, "u", RefKind.TAG, "t", null, null, false)),
                Arguments.of("exclude spec", "mod 'a', :git => 'u', :tag => 't', :exclude_spec => true",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.TAG, "t", null, null, true)),
                Arguments.of("forge slash", "mod 'puppetlabs/stdlib', '9.4.1'",
                        new ModuleSpec.Forge("puppetlabs", "stdlib", "modules", 1, "9.4.1", false, false)),
                Arguments.of("forge dash latest", "mod 'puppetlabs-concat', :latest",
                        new ModuleSpec.Forge("puppetlabs", "concat", "modules", 1, null, true, false)),
                Arguments.of("forge no version", "mod 'puppetlabs/concat'",
                        new ModuleSpec.Forge("puppetlabs", "concat", "modules", 1, null, false, false)),
                Arguments.of("forge version label", "mod 'puppetlabs/concat', version: '1.0.0-rc1'",
                        new ModuleSpec.Forge("puppetlabs", "concat", "modules", 1, "1.0.0-rc1", false, false)),
                Arguments.of("local", "mod 'profile', :local => true",
                        new ModuleSpec.Local("profile", "modules", 1)),
                Arguments.of("moduledir", "moduledir 'thirdparty'\nmod 'profile', local: true",
                        new ModuleSpec.Local("profile", "thirdparty", 2)),
                Arguments.of("type git, source, version",
                        "mod 'puppetlabs-apache',\n  type: 'git',\n  source: 'https://git.example/apache',\n  version: '2098a17'",
                        new ModuleSpec.Git("apache", "modules", 1, "https://git.example/apache", RefKind.REF,
                                "2098a17", null, null, false)),
                Arguments.of("type as a symbol with hash rockets",
                        "mod 'apache', :type => :git, :source => 'u', :version => 'v1'",
                        new ModuleSpec.Git("apache", "modules", 1, "u", RefKind.REF, "v1", null, null, false)),
                Arguments.of("git: with version:", "mod 'apache', git: 'u', version: 'main'",
                        new ModuleSpec.Git("apache", "modules", 1, "u", RefKind.REF, "main", null, null, false)),
                Arguments.of("type git without a ref means master, like r10k 3", "mod 'a', type: 'git', source: 'u'",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.BRANCH, "master", null, null, false)),
                Arguments.of("default branch after a missing tag",
                        "mod 'a', :git => 'u', :tag => 'v2', :default_branch => 'main'",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.TAG, "v2", "main", null, false)),
                Arguments.of("default branch override",
                        "mod 'a', :git => 'u', :branch => :control_branch, :default_branch_override => 'dev',"
                                + " :default_branch => 'main'",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.CONTROL_BRANCH, null, "main", "dev", false)),
                Arguments.of("control branch through :ref", "mod 'a', :git => 'u', :ref => :control_branch",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.CONTROL_BRANCH, null, null, null, false)),
                Arguments.of("control branch through version:", "mod 'a', type: 'git', source: 'u', version: :control_branch",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.CONTROL_BRANCH, null, null, null, false)),
                Arguments.of("exclude spec does not reach an install path, as in r10k",
                        "mod 'a', :git => 'u', :tag => 't', :exclude_spec => true, :install_path => 'site'",
                        new ModuleSpec.Git("a", "site", 1, "u", RefKind.TAG, "t", null, null, false)),
                Arguments.of("exclude spec false", "mod 'a', :git => 'u', :tag => 't', :exclude_spec => false",
                        new ModuleSpec.Git("a", "modules", 1, "u", RefKind.TAG, "t", null, null, false)),
                Arguments.of("forge type and version", "mod 'puppetlabs/apache',\n  type:    'forge',\n  version: '6.0.0'",
                        new ModuleSpec.Forge("puppetlabs", "apache", "modules", 1, "6.0.0", false, false)),
                Arguments.of("forge source ignored, as r10k does",
                        "mod 'puppetlabs/apache', type: 'forge', source: 'https://elsewhere', version: '6.0.0'",
                        new ModuleSpec.Forge("puppetlabs", "apache", "modules", 1, "6.0.0", false, false)),
                Arguments.of("forge latest through version:", "mod 'puppetlabs/apache', type: 'forge', version: :latest",
                        new ModuleSpec.Forge("puppetlabs", "apache", "modules", 1, null, true, false)),
                Arguments.of("forge exclude spec", "mod 'puppetlabs/apache', '6.0.0', :exclude_spec => true",
                        new ModuleSpec.Forge("puppetlabs", "apache", "modules", 1, "6.0.0", false, true)),
                Arguments.of("local by type", "mod 'profile', type: 'local'",
                        new ModuleSpec.Local("profile", "modules", 1)),
                Arguments.of("exclusion accepted and ignored, as r10k 5 does",
                        "exclusion 'puppetlabs-stdlib'\nmod 'profile', :local => true",
                        new ModuleSpec.Local("profile", "modules", 2)),
                Arguments.of("forge line ignored", "forge 'https://forge.example'\nmod 'profile', :local => true",
                        new ModuleSpec.Local("profile", "modules", 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesWhatR10kUnderstands(String title, String content, ModuleSpec expected) throws Exception {
        Puppetfile puppetfile = Puppetfile.parse(content);
        assertThat(puppetfile.modules()).containsExactly(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("mod 'a', :svn => 'u'", 1,
                        "mod 'a' uses :svn, which Momentum does not support; mirror the repository to git and use :git"),
                Arguments.of("\n\nif true\n", 3, "unsupported statement 'if'"),
                Arguments.of("mod 'a',\n :git => 'u',\n :install_path => '../../etc'", 1, "leaves the environment"),
                Arguments.of("mod 'a', :git => 'u', :install_path => '/etc'", 1, "relative path"),
                Arguments.of("moduledir '../x'", 1, "leaves the environment"),
                Arguments.of("mod 'Bad-Name!', :git => 'u'", 1, "is not 'name'"),
                Arguments.of("mod 'puppetlabs/Std', '1.0.0'", 1, "module name 'Std'"),
                Arguments.of("mod 'stdlib', '1.0.0'", 1, "needs its author"),
                Arguments.of("mod 'a/b', 'one'", 1, "not a semantic version"),
                Arguments.of("mod 'a', :git => 'u', :tag => 'x', :branch => 'y'", 1, "only one of"),
                Arguments.of("mod 'a', :git => \"#{base}/a.git\"", 1, "interpolation"),
                Arguments.of("mod 'a', :git => 'u'\nmod 'a', :git => 'v'", 2, "already declared on line 1"),
                Arguments.of("mod 'a', :git => 'u', :ref => '--upload-pack=x'", 1, "invalid git ref"),
                Arguments.of("mod 'a', :git => 'u', :commit => 'main'", 1, "not a commit id"),
                Arguments.of("mod 'a', :git => 'u'\nmod 'b', :git => 'v', :install_path => 'x/.git'", 2, ".git"),
                Arguments.of("mod 'a', :git => 'u\n", 1, "unterminated string"),
                Arguments.of("mod 'a', $x", 1, "unsupported syntax"),
                Arguments.of("mod 'a',\n type: 'svn',\n source: 'https://svn.example/a/trunk'", 1,
                        "mod 'a' uses :svn, which Momentum does not support; mirror the repository to git and use :git"),
                Arguments.of("\n\nmod 'puppetlabs-apache', type: 'tarball',\n"
                        + "  source: 'https://repo.example/puppetlabs-apache-7.0.0.tar.gz'", 3,
                        "mod 'puppetlabs-apache' is a tarball module (type: 'tarball'), which Momentum does not"
                                + " support; publish it in a git repository and use :git, or on a Forge and give its version"),
                Arguments.of("mod 'a', type: 'hg', source: 'u'", 1, "unknown type 'hg'"),
                Arguments.of("mod 'apache', :git => 'u'\nmod 'puppetlabs/apache', '1.0.0', :install_path => 'site'", 2,
                        "module 'apache' is already declared on line 1; module names must be unique, even in"
                                + " different directories"),
                Arguments.of("moduledir '/etc/puppet/modules'", 1,
                        "moduledir '/etc/puppet/modules' is absolute; Momentum installs modules only inside the"
                                + " environment"),
                Arguments.of("mod 'a', git: 'u', source: 'v'", 1, "as :git or as source:, not both"),
                Arguments.of("mod 'a', type: 'git', version: 'v1'", 1, "needs its repository"),
                Arguments.of("mod 'a', git: 'u', ref: 'HEAD'", 1, "'HEAD' (the remote's default branch) is not supported"),
                Arguments.of("mod 'a', git: 'u', version: 'v1', tag: 'v2'", 1, "give only one of"),
                Arguments.of("mod 'a', git: 'u', tags: 'v1'", 1, "unsupported module option :tags"),
                Arguments.of("mod 'a/b', '1.0.0', version: '2.0.0'", 1, "given twice"),
                Arguments.of("mod 'a', :local => false", 1, "not a module source"),
                Arguments.of("exclusion", 1, "exclusion takes exactly one string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesWhatItCannotDeployNamingTheLine(String content, int line, String message) {
        assertThatThrownBy(() -> Puppetfile.parse(content))
                .isInstanceOf(PuppetfileException.class)
                .hasMessageContaining("line " + line + ":")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((PuppetfileException) e).line()).isEqualTo(line));
    }

    @Test
    void readsAWholeRealisticPuppetfile() throws Exception {
        Puppetfile puppetfile = Puppetfile.parse("""
                forge "https://forgeapi.puppet.com"

                # Forge modules
                mod 'puppetlabs/stdlib', '9.4.1'
                mod 'puppetlabs-concat', :latest

                mod 'apache',
                  :git    => 'https://git.example/apache.git',
                  :branch => :control_branch,
                  :default_branch => 'production'
                mod 'role', :local => true
                mod 'hieradata', git: 'https://git.example/hiera.git', tag: 'v3', install_path: 'data'
                """);
        assertThat(puppetfile.forge()).isEqualTo("https://forgeapi.puppet.com");
        assertThat(puppetfile.moduledir()).isEqualTo("modules");
        assertThat(puppetfile.modules()).extracting(ModuleSpec::path)
                .isEqualTo(List.of("modules/stdlib", "modules/concat", "modules/apache", "modules/role",
                        "data/hieradata"));
        assertThat(((ModuleSpec.Git) puppetfile.modules().get(2)).effectiveRef("feature_x")).isEqualTo("feature_x");
    }

    @Test
    void moduledirAppliesToTheModulesDeclaredAfterItAsInR10k() throws Exception {
        Puppetfile puppetfile = Puppetfile.parse("""
                mod 'early', :local => true
                moduledir 'thirdparty/./forge'
                mod 'puppetlabs/stdlib', '9.4.1'
                mod 'site_mod', :git => 'u', :install_path => 'site'
                moduledir 'vendor'
                mod 'late', :local => true
                """);
        assertThat(puppetfile.modules()).extracting(ModuleSpec::path)
                .containsExactly("modules/early", "thirdparty/forge/stdlib", "site/site_mod", "vendor/late");
        assertThat(puppetfile.moduledir()).isEqualTo("vendor");
    }

    @Test
    void aGitModuleTriesItsRefThenTheOverrideThenTheDefaultBranch() throws Exception {
        ModuleSpec.Git module = (ModuleSpec.Git) Puppetfile.parse("mod 'a', :git => 'u', :branch => :control_branch,"
                + " :default_branch_override => 'dev', :default_branch => 'main'").modules().get(0);
        assertThat(module.candidates("feature")).containsExactly("feature", "dev", "main");
        assertThat(module.candidates("dev")).containsExactly("dev", "main");
        ModuleSpec.Git plain = (ModuleSpec.Git) Puppetfile.parse("mod 'a', :git => 'u', :tag => 'v1'").modules().get(0);
        assertThat(plain.candidates("feature")).containsExactly("v1");
    }

    @Test
    void anEmptyPuppetfileHasNoModules() throws Exception {
        assertThat(Puppetfile.parse("# nothing\n").modules()).isEmpty();
    }
}
