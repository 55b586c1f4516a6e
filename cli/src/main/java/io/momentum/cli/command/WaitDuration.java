package io.momentum.cli.command;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --timeout}: "300" (seconds), "90s", "5m", "1h", or ISO-8601 ("PT2M"); positive. */
final class WaitDuration implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Duration duration = parse(value.trim());
        if (duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("must be positive: " + value);
        }
        return duration;
    }

    static Duration parse(String value) {
        Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("not a duration: " + value + " (e.g. 90s, 5m, PT2M)");
        }
    }
}
