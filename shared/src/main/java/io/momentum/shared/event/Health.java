package io.momentum.shared.event;

public enum Health {
    UP,
    DOWN
}
