package io.recon.action;

/** Delivers one action over one kind of channel; throws with a reason a person can read when it could not. */
interface ChannelSender {

    AlertsProperties.Kind kind();

    /** @return what the receiver answered, for the attempt log */
    String send(PendingAction action, AlertsProperties.Channel channel, AlertMessage message) throws Exception;

    /** The receiver refused or failed; the dispatcher retries. */
    class DeliveryFailed extends Exception {
        DeliveryFailed(String message) {
            super(message);
        }
    }
}
