package io.momentum.shared.env;

import io.momentum.shared.event.EnvironmentNamePattern;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * r10k's branch to environment mapping and the checks that keep every environment inside its base directory.
 *
 * <p>As r10k with {@code invalid_branches: correct}: every character outside {@code [A-Za-z0-9_]} becomes
 * {@code _} (one per character, unicode included), and a source prefix is joined with {@code _}. Names that
 * would be empty, only underscores, longer than a file name, or reserved by Puppet are refused.
 */
public final class EnvironmentNames {

    /** Longest environment name: a single path segment on common file systems. */
    public static final int MAX_LENGTH = 255;

    /** Puppet refuses these as environment names: they are settings sections. */
    private static final Set<String> RESERVED = Set.of("main", "master", "agent", "user", "server");

    private static final Pattern VALID = Pattern.compile(EnvironmentNamePattern.REGEX);
    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9_]{0,127}");

    private EnvironmentNames() {
    }

    /** The environment for {@code branch} of a source without prefix. */
    public static String fromBranch(String branch) {
        return fromBranch(branch, null);
    }

    /**
     * The environment for {@code branch}, prefixed with {@code prefix + "_"} when a prefix is given.
     *
     * @throws InvalidNameException when no safe environment name results
     */
    public static String fromBranch(String branch, String prefix) {
        if (branch == null || branch.isEmpty()) {
            throw new InvalidNameException("branch name is empty");
        }
        String corrected = correct(branch);
        String name = prefix == null || prefix.isEmpty() ? corrected : correct(prefix) + "_" + corrected;
        return requireValid(name);
    }

    /** Replaces each character outside {@code [A-Za-z0-9_]} with {@code _}, counting code points, not bytes. */
    public static String correct(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        raw.codePoints().forEach(cp -> out.append(isWordChar(cp) ? (char) cp : '_'));
        return out.toString();
    }

    /**
     * Checks a name that is about to become a directory under an environments base dir.
     *
     * @return the name itself
     * @throws InvalidNameException naming what is wrong
     */
    public static String requireValid(String environment) {
        if (environment == null || environment.isEmpty()) {
            throw new InvalidNameException("environment name is empty");
        }
        if (environment.length() > MAX_LENGTH) {
            throw new InvalidNameException("environment name is longer than " + MAX_LENGTH + " characters");
        }
        if (!VALID.matcher(environment).matches()) {
            throw new InvalidNameException("environment name '" + printable(environment)
                    + "' must be letters, digits and underscores, and not only underscores");
        }
        if (RESERVED.contains(environment)) {
            throw new InvalidNameException("environment name '" + environment + "' is reserved by Puppet");
        }
        return environment;
    }

    public static boolean isValid(String environment) {
        try {
            requireValid(environment);
            return true;
        } catch (InvalidNameException e) {
            return false;
        }
    }

    /** Checks a Puppet module name (the part after {@code author-}/{@code author/}). */
    public static String requireValidModule(String module) {
        if (module == null || !MODULE.matcher(module).matches()) {
            throw new InvalidNameException("module name '" + printable(String.valueOf(module))
                    + "' must start with a lowercase letter and hold only lowercase letters, digits and underscores");
        }
        return module;
    }

    /**
     * Resolves {@code name} under {@code baseDir}, refusing anything that would not be a direct child of it.
     */
    public static Path resolveInside(Path baseDir, String name) {
        Path base = baseDir.toAbsolutePath().normalize();
        Path resolved = base.resolve(name).normalize();
        if (!resolved.getParent().equals(base)) {
            throw new InvalidNameException("'" + printable(name) + "' leaves " + base);
        }
        return resolved;
    }

    private static boolean isWordChar(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
    }

    /** Error messages quote names; keep control characters out of logs. */
    private static String printable(String s) {
        String shortened = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
