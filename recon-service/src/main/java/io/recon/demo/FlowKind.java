package io.recon.demo;

/**
 * The order flows the generator writes. Each fault kind yields exactly one mismatch of {@link #faultType}
 * for its order; NORMAL and LATE_IN_TIME must yield none.
 */
enum FlowKind {
    NORMAL(null),
    /** The payment is committed 4 s after the 30 s payment window closed, its event time inside the window. */
    LATE_IN_TIME(null),
    /** The order is never paid. */
    MISSING_PAYMENT("MISSING"),
    /** The payment is 5.00 more than the order. */
    AMOUNT_DIFFERS("AMOUNT"),
    /** The payment provider posts the payment twice. */
    DUPLICATE_PAYMENT("DUPLICATE"),
    /** The payment succeeds but the shop never marks the order PAID. */
    ORDER_NOT_MARKED_PAID("STATUS"),
    /** The payment fails but the warehouse ships anyway. */
    SHIPPED_UNPAID("UNPAID_SHIPMENT"),
    /** The courier reports a delivery for an order the warehouse never shipped. */
    DELIVERY_WITHOUT_SHIPMENT("ORPHAN_DELIVERY");

    final String faultType;

    FlowKind(String faultType) {
        this.faultType = faultType;
    }
}
