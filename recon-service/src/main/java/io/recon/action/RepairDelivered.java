package io.recon.action;

/** A repair command was accepted by the owning system; a second check may now tell whether it worked. */
public record RepairDelivered(long mismatchId) {
}
