package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's typed bodies are described in the OpenAPI document. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class OpenApiTest {

    @Test
    void openApiListsTheSchemasOfTheApiBodies() {
        Map<String, Object> schemas = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("components.schemas");
        assertThat(schemas).containsKeys("DeployCommand", "DeployReport", "KnownRequest", "UnknownRequest",
                "EnvironmentMatrix", "Error", "WebhookAnswer", "PublishedRequest", "RollbackCommand", "PlanView",
                "ModuleView", "PlanEntry", "EnvironmentRow", "MasterCell");
        Map<String, Object> command = given().queryParam("format", "json").get("/q/openapi").then().extract()
                .jsonPath().getMap("components.schemas.DeployCommand.properties");
        assertThat(command).containsKeys("environments", "all", "wait", "timeout");
        Map<String, Object> rollback = given().queryParam("format", "json").get("/q/openapi").then().extract()
                .jsonPath().getMap("components.schemas.RollbackCommand.properties");
        assertThat(rollback).containsOnlyKeys("plan", "wait", "timeout");
        Map<String, Object> paths = given().queryParam("format", "json").get("/q/openapi").then().extract()
                .jsonPath().getMap("paths");
        assertThat(paths).containsKeys("/api/v1/environments/{environment}/rollback",
                "/api/v1/environments/{environment}/pin");
    }
}
