package io.momentum.agent.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed Puppetfile: the subset of r10k's Ruby DSL that real control repositories use.
 *
 * <p>Understood: comments, {@code forge 'url'}, {@code moduledir 'dir'}, and {@code mod 'name', ...} with
 * {@code :git}, {@code :ref}/{@code :tag}/{@code :branch}/{@code :commit}, {@code :default_branch},
 * {@code :local}, {@code :install_path}, {@code :exclude_spec}, Forge modules {@code mod 'author/name', 'x.y.z'},
 * {@code :latest} or no version, options as {@code :key => value} or {@code key: value}, optional parentheses and
 * braces, declarations spread over several lines. Anything else (Ruby code, {@code :svn}, string interpolation) is a
 * {@link PuppetfileException} naming the line: a module silently skipped would be missing on every master.
 *
 * @param forge the {@code forge} line's URL, or {@code null} (the configured Forge base URL is what gets used, as
 *     with r10k's default {@code allow_puppetfile_override: false})
 * @param moduledir where modules go by default, relative to the environment
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
