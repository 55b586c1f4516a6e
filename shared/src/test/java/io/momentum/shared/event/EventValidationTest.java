package io.momentum.shared.event;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventValidationTest {

    static ValidatorFactory factory;
    static Validator validator;

    @BeforeAll
    static void createValidator() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void closeValidator() {
        factory.close();
    }

    @Test
    void acceptsAWellFormedRequest() {
        DeployRequest request = DeployRequest.environment("production", "production", "control",
                "https://git.example.net/control.git", "0123456789abcdef0123456789abcdef01234567", Provider.GITHUB,
                Instant.now());
        assertThat(validator.validate(request)).isEmpty();
    }

    @Test
    void refusesHostileEnvironmentShortCommitAndMissingFields() {
        DeployRequest request = new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, "../../etc", null, null,
                null, "abc", false, null, null, null, null, null);
        Set<ConstraintViolation<DeployRequest>> violations = validator.validate(request);
        assertThat(violations).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("environment", "commit", "provider", "requestedAt");
    }

    @Test
    void refusesHostileMasterIds() {
        MasterAnnouncement announcement = new MasterAnnouncement("../cm1", MasterRole.COMPILE, null, null,
                MasterState.READY, null, Instant.now(), Instant.now(), 5000);
        assertThat(validator.validate(announcement)).extracting(v -> v.getPropertyPath().toString())
                .containsExactly("masterId");
    }
}
