package io.momentum.webhook.domain;

import io.momentum.shared.env.EnvironmentNames;
import java.util.List;
import java.util.Locale;

/**
 * The Puppet module a repository holds, named as r10k's and webhook-go's module webhooks do: a known prefix
 * ({@code puppetlabs-}, {@code puppet-}) stripped, else the part after the last {@code -} ({@code author-name}).
 */
public final class ModuleNames {

    private final List<String> stripPrefixes;

    public ModuleNames(List<String> stripPrefixes) {
        this.stripPrefixes = stripPrefixes.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * @throws io.momentum.shared.env.InvalidNameException when no valid module name results
     */
    public String fromRepository(String repositoryName) {
        String name = repositoryName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".git")) {
            name = name.substring(0, name.length() - 4);
        }
        for (String prefix : stripPrefixes) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return EnvironmentNames.requireValidModule(name.substring(prefix.length()));
            }
        }
        int dash = name.lastIndexOf('-');
        return EnvironmentNames.requireValidModule(dash < 0 ? name : name.substring(dash + 1));
    }
}
