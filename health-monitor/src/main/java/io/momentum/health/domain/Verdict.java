package io.momentum.health.domain;

/** A routing policy's decision for one master, with the reason an operator reads in the status. */
public record Verdict(boolean routable, String reason) {
}
