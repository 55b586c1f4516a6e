package io.momentum.notifier.commitstatus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.Provider;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SentLedgerTest {

    private final UUID requestId = UUID.randomUUID();

    private StatusUpdate update(CommitState state) {
        return new StatusUpdate(requestId, Provider.GITLAB, "https://gitlab.com/a/b.git", "b".repeat(40),
                "production", "momentum/cm1", state, "production: x");
    }

    @Test
    void aRecordedStatusIsNotNeededAgainAndAPendingNeverFollowsAFinalOne() {
        SentLedger ledger = new SentLedger();
        assertThat(ledger.needed(update(CommitState.PENDING))).isTrue();

        ledger.recorded(SentLedger.notificationId(update(CommitState.SUCCESS)));

        assertThat(SentLedger.notificationId(update(CommitState.SUCCESS)))
                .isEqualTo(requestId + "/momentum/cm1/success");
        assertThat(ledger.needed(update(CommitState.SUCCESS))).isFalse();
        assertThat(ledger.needed(update(CommitState.PENDING))).isFalse();
        assertThat(ledger.needed(update(CommitState.FAILURE))).as("another final state").isTrue();
    }

    @Test
    void idsOfOtherSinksAreIgnored() {
        SentLedger ledger = new SentLedger();
        ledger.recorded("deploy/" + requestId);
        ledger.recorded("no-slash");
        assertThat(ledger.needed(update(CommitState.PENDING))).isTrue();
    }
}
