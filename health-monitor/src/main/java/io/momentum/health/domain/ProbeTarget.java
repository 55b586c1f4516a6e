package io.momentum.health.domain;

/** A master to probe and the Puppet Server base URL to probe it at. */
public record ProbeTarget(String masterId, String url) {
}
