package io.momentum.agent.deployer;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code .r10k-deploy.json} exactly as r10k 3.x writes it ({@code JSON.pretty_generate} of name, signature,
 * started_at, finished_at, deploy_success and module_deploys), so that tools reading it keep working.
 */
final class R10kDeployFile {

    static final String NAME = ".r10k-deploy.json";

    /** Ruby's {@code Time#to_s}. */
    private static final DateTimeFormatter RUBY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    private R10kDeployFile() {
    }

    static String rubyTime(ZonedDateTime time) {
        return time.withZoneSameInstant(ZoneId.systemDefault()).format(RUBY_TIME);
    }

    static String render(String environment, String signature, String startedAt, String finishedAt, boolean success,
            List<DeployManifest.ModuleRecord> modules) {
        StringBuilder out = new StringBuilder("{\n");
        field(out, "name", string(environment), true);
        field(out, "signature", string(signature), true);
        field(out, "started_at", string(startedAt), true);
        field(out, "finished_at", string(finishedAt), true);
        field(out, "deploy_success", String.valueOf(success), true);
        out.append("  \"module_deploys\": ");
        if (modules.isEmpty()) {
            out.append("[]\n");
        } else {
            out.append("[\n");
            for (int i = 0; i < modules.size(); i++) {
                DeployManifest.ModuleRecord module = modules.get(i);
                out.append("    {\n");
                out.append("      \"name\": ").append(string(module.name())).append(",\n");
                out.append("      \"version\": ").append(string(module.version())).append(",\n");
                out.append("      \"sha\": ").append(string(module.sha())).append('\n');
                out.append(i == modules.size() - 1 ? "    }\n" : "    },\n");
            }
            out.append("  ]\n");
        }
        return out.append("}\n").toString();
    }

    private static void field(StringBuilder out, String name, String value, boolean comma) {
        out.append("  \"").append(name).append("\": ").append(value).append(comma ? ",\n" : "\n");
    }

    private static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
