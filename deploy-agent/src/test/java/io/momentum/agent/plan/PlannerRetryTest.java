package io.momentum.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.deployer.TestSources;
import io.momentum.agent.schedule.Targets;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Provider;
import io.momentum.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's retries after a repository could not be fetched, against real git repositories that are missing at
 * first and created later (what a git host that is down, then back, looks like to JGit): the FAILED plan is published
 * at once, the success later under the same request id; a failure of content is not retried; a newer push stops the
 * older request's retry; a restart's catch-up takes over a FAILED plan. Not a {@code @QuarkusTest}: the scheduler is a
 * plain class, its sink a list.
 */
class PlannerRetryTest {

    private static final Duration RETRY = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofMillis(400);
    /** Longer than several retries at RETRY_MAX. */
    private static final long SEVERAL_RETRIES_MS = 1500;

    @TempDir
    Path tmp;

    private String controlUrl;
    private String ntpUrl;
    private final List<GitRepo> repos = new ArrayList<>();
    private NativeDeployer deployer;
    private PlanBook book;
    private PlanScheduler scheduler;
    private final List<DeployPlan> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        // URLs of repositories that do not exist yet: a test creates them when the "host" comes back.
        controlUrl = tmp.resolve("control.git").toUri().toString();
        ntpUrl = tmp.resolve("ntp.git").toUri().toString();
        DeployerSettings settings = new DeployerSettings(tmp.resolve("environments"), tmp.resolve("cache"),
                List.of(TestSources.source("control", controlUrl, null)), "http://127.0.0.1:9", 4,
                Duration.ofSeconds(30), null, GitRemotesFixture.plain(tmp), "rugged", 3);
        deployer = new NativeDeployer(settings);
        book = new PlanBook();
        Targets targets = new Targets(settings.sources(), new BranchLister(settings.git(), Duration.ofSeconds(30)));
        scheduler = new PlanScheduler(deployer.planResolver(), targets, book, plan -> {
            published.add(plan);
            return CompletableFuture.completedFuture(null);
        }, RolloutPolicy.IMMEDIATE, 2, RETRY, RETRY_MAX);
    }

    @AfterEach
    void tearDown() {
        scheduler.close();
        deployer.close();
        repos.forEach(GitRepo::close);
    }

    private GitRepo create(String name) {
        GitRepo repo = GitRepo.createBare(tmp.resolve(name));
        repos.add(repo);
        return repo;
    }

    /**
     * Makes a repository with one commit on {@code branch} appear at once at {@code tmp/name} (built aside, then
     * renamed), as a git host that comes back serves it whole: a retry never sees it half made.
     *
     * @return the commit
     */
    private String appear(String name, String branch, Map<String, String> files) throws Exception {
        GitRepo repo = create("incoming/" + name);
        String commit = repo.commit(branch, files);
        Files.move(tmp.resolve("incoming/" + name), tmp.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return commit;
    }

    private static DeployRequest push(String environment) {
        return DeployRequest.environment(environment, environment, "control", null, null, Provider.GITEA,
                Instant.now());
    }

    private void plan(DeployRequest request) throws Exception {
        scheduler.submit(request).get(60, TimeUnit.SECONDS);
    }

    private List<DeployPlan> publishedFor(UUID requestId) {
        return published.stream().filter(p -> p.requestId().equals(requestId)).toList();
    }

    /**
     * Longer than the mirrors' 30 s timeout: under heavy load a fetch that started just as a repository appeared was
     * seen to hang until that timeout once (JGit's in-process file:// transport); the next retry then succeeds.
     */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aControlRepositoryThatCannotBeFetchedFailsAtOnceAndIsPlannedUnderTheSameRequestOnceItCan() throws Exception {
        DeployRequest request = push("production");

        plan(request);

        assertThat(publishedFor(request.requestId())).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PlanStatus.FAILED);
            assertThat(p.error()).isEqualTo("cannot fetch " + controlUrl + ": not found.");
            assertThat(occurrences(p.error(), controlUrl)).as("the URL is named once").isEqualTo(1);
        });
        assertThat(scheduler.retrying()).containsExactly("production");
        Thread.sleep(SEVERAL_RETRIES_MS);
        assertThat(published).as("an identical failure is not published again").hasSize(1);

        String commit = appear("control.git", "production", Map.of("Puppetfile", ""));

        await("the request is planned", () -> publishedFor(request.requestId()).size() == 2);
        DeployPlan planned = publishedFor(request.requestId()).get(1);
        assertThat(planned.status()).isEqualTo(PlanStatus.PLANNED);
        assertThat(planned.commit()).isEqualTo(commit);
        await("the plan is the environment's latest and the retry ends",
                () -> book.latest("production").filter(planned::equals).isPresent() && scheduler.retrying().isEmpty());
        Thread.sleep(SEVERAL_RETRIES_MS);
        assertThat(published).as("nothing after the success").hasSize(2);
    }

    @Test
    void aModuleRepositoryThatCannotBeFetchedIsRetriedToo() throws Exception {
        GitRepo control = create("control.git");
        String commit = control.commit("production",
                Map.of("Puppetfile", "mod 'ntp', :git => '" + ntpUrl + "', :branch => 'main'\n"));
        DeployRequest request = push("production");

        plan(request);

        assertThat(publishedFor(request.requestId())).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PlanStatus.FAILED);
            assertThat(p.commit()).isEqualTo(commit);
            assertThat(p.error()).isEqualTo("cannot fetch " + ntpUrl + ": not found.");
        });

        String ntpHead = appear("ntp.git", "main", Map.of("manifests/init.pp", "class ntp {}"));

        await("the request is planned", () -> publishedFor(request.requestId()).size() == 2);
        DeployPlan planned = publishedFor(request.requestId()).get(1);
        assertThat(planned.status()).isEqualTo(PlanStatus.PLANNED);
        assertThat(planned.commit()).isEqualTo(commit);
        assertThat(planned.modules()).extracting(PlannedModule::sha).containsExactly(ntpHead);
    }

    @Test
    void aFailureOfContentIsNotRetried() throws Exception {
        GitRepo control = create("control.git");
        control.commit("production", Map.of("Puppetfile", "mod 'ntp', :git =>\n"));
        DeployRequest request = push("production");

        plan(request);
        assertThat(publishedFor(request.requestId())).singleElement()
                .satisfies(p -> assertThat(p.status()).isEqualTo(PlanStatus.FAILED));
        assertThat(scheduler.retrying()).isEmpty();

        // Fixed without a push: a retry would plan the branch head and publish it.
        control.commit("production", Map.of("Puppetfile", ""));
        Thread.sleep(SEVERAL_RETRIES_MS);

        assertThat(published).hasSize(1);
    }

    @Test
    void aNewerPushStopsTheRetryOfTheOlderRequest() throws Exception {
        DeployRequest older = push("production");
        DeployRequest newer = push("production");

        plan(older);
        plan(newer);
        assertThat(publishedFor(newer.requestId())).singleElement()
                .satisfies(p -> assertThat(p.status()).isEqualTo(PlanStatus.FAILED));

        String commit = appear("control.git", "production", Map.of("Puppetfile", ""));

        await("the newer request is planned", () -> publishedFor(newer.requestId()).size() == 2);
        assertThat(publishedFor(newer.requestId()).get(1)).satisfies(p -> {
            assertThat(p.status()).isEqualTo(PlanStatus.PLANNED);
            assertThat(p.commit()).isEqualTo(commit);
        });
        Thread.sleep(SEVERAL_RETRIES_MS);
        assertThat(publishedFor(older.requestId())).singleElement()
                .satisfies(p -> assertThat(p.status()).isEqualTo(PlanStatus.FAILED));
        assertThat(published).hasSize(3);
    }

    @Test
    void aRestartsCatchUpRetriesAFailedPlanUnderItsRequest() throws Exception {
        GitRepo control = create("control.git");
        String commit = control.commit("production",
                Map.of("Puppetfile", "mod 'ntp', :git => '" + ntpUrl + "', :branch => 'main'\n"));
        control.commit("staging", Map.of("Puppetfile", "mod 'ntp', :git =>\n"));
        // What the replay of the plans topic holds after the planner that published these stopped.
        UUID request = UUID.randomUUID();
        DeployPlan failed = deployer.planResolver().plan(request,
                new EnvironmentTarget("production", "control", null, "production", null), null, Instant.now());
        assertThat(failed.status()).isEqualTo(PlanStatus.FAILED);
        book.record(failed);
        UUID broken = UUID.randomUUID();
        book.record(deployer.planResolver().plan(broken,
                new EnvironmentTarget("staging", "control", null, "staging", null), null, Instant.now()));

        scheduler.catchUp().get(60, TimeUnit.SECONDS);

        assertThat(published).as("the same failures: nothing new to publish").isEmpty();
        assertThat(scheduler.retrying()).containsExactly("production");

        String ntpHead = appear("ntp.git", "main", Map.of("manifests/init.pp", "class ntp {}"));

        await("the request is planned", () -> !publishedFor(request).isEmpty());
        assertThat(publishedFor(request)).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PlanStatus.PLANNED);
            assertThat(p.commit()).isEqualTo(commit);
            assertThat(p.modules()).extracting(PlannedModule::sha).containsExactly(ntpHead);
        });
        assertThat(publishedFor(broken)).isEmpty();
    }
}
