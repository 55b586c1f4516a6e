package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.env.InvalidNameException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleNamesTest {

    private final ModuleNames names = new ModuleNames(List.of("puppetlabs-", "puppet-"));

    @Test
    void stripsKnownPrefixesAndAuthors() {
        assertThat(names.fromRepository("puppetlabs-stdlib")).isEqualTo("stdlib");
        assertThat(names.fromRepository("puppet-nginx")).isEqualTo("nginx");
        assertThat(names.fromRepository("voxpupuli-puppet_agent")).isEqualTo("puppet_agent");
        assertThat(names.fromRepository("Profile.git")).isEqualTo("profile");
        assertThat(names.fromRepository("ntp")).isEqualTo("ntp");
    }

    @Test
    void refusesWhatIsNoModuleName() {
        assertThatThrownBy(() -> names.fromRepository("puppet-9lives")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> names.fromRepository("my.module")).isInstanceOf(InvalidNameException.class);
    }
}
