package io.momentum.agent.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed Puppetfile: the subset of r10k's Ruby DSL that real control repositories use, with r10k's meaning.
 *
 * <p>Understood: comments, {@code forge 'url'}, {@code moduledir 'dir'} (for the modules declared after it),
 * {@code exclusion 'name'} (accepted and ignored, as r10k 5 does), and {@code mod 'name', ...} for git modules
 * ({@code :git} or {@code type: 'git', source:}, with {@code :ref}/{@code :tag}/{@code :branch}/{@code :commit}/
 * {@code version:}, {@code :control_branch}, {@code :default_branch}, {@code :default_branch_override}), Forge modules
 * ({@code 'x.y.z'}, {@code :latest}, no version, or {@code type: 'forge', version:}), local modules, with
 * {@code :install_path} and {@code :exclude_spec}, options as {@code :key => value} or {@code key: value}, optional
 * parentheses and braces, declarations spread over several lines. Anything else (Ruby code, {@code :svn} and tarball
 * modules, unknown options, string interpolation) is a {@link PuppetfileException} naming the line: a module silently
 * skipped would be missing on every master. The deploy-agent README's "Puppetfile support" table lists every form.
 *
 * @param forge the {@code forge} line's URL, or {@code null}; never used: modules come from the configured Forge, as
 *     with r10k's default {@code allow_puppetfile_override: false}
 * @param moduledir the last {@code moduledir}, relative to the environment
 */
public record Puppetfile(String forge, String moduledir, List<ModuleSpec> modules) {

    public static final String DEFAULT_MODULEDIR = "modules";

    public Puppetfile {
        modules = List.copyOf(modules);
    }

    public static Puppetfile parse(byte[] content) throws PuppetfileException {
        return parse(new String(content, StandardCharsets.UTF_8));
    }

    public static Puppetfile parse(String content) throws PuppetfileException {
        return PuppetfileParser.parse(content);
    }
}
