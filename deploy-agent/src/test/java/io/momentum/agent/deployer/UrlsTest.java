package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlsTest {

    @Test
    void hidesHttpUserInfoAndPasswordsButKeepsSshUsers() {
        assertThat(Urls.redact("https://ghp_s3cret@github.com/acme/control.git"))
                .isEqualTo("https://***@github.com/acme/control.git");
        assertThat(Urls.redact("https://deploy:s3cret@git.example.net/control.git"))
                .isEqualTo("https://***@git.example.net/control.git");
        assertThat(Urls.redact("ssh://git@git.example.net:2222/puppet/control.git"))
                .isEqualTo("ssh://git@git.example.net:2222/puppet/control.git");
        assertThat(Urls.redact("ssh://git:s3cret@git.example.net/puppet/control.git"))
                .isEqualTo("ssh://git:***@git.example.net/puppet/control.git");
        assertThat(Urls.redact("git@git.example.net:puppet/control.git"))
                .isEqualTo("git@git.example.net:puppet/control.git");
    }
}
