package io.recon.action;

import jakarta.mail.internet.MimeMessage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * E-mail over SMTP ({@code spring.mail.*}). The idempotency key becomes the Message-ID, so a mail
 * re-sent after a crash is recognisable as the same message, and is also in {@code X-Idempotency-Key}.
 */
@Component
class EmailSender implements ChannelSender {

    private final ObjectProvider<JavaMailSender> mail;

    EmailSender(ObjectProvider<JavaMailSender> mail, AlertsProperties config) {
        this.mail = mail;
        boolean emailChannels = config.channels().values().stream().anyMatch(c -> c.kind() == AlertsProperties.Kind.EMAIL);
        if (emailChannels && mail.getIfAvailable() == null) {
            throw new IllegalStateException("an e-mail channel is configured under recon.alerts.channels, but there is no SMTP server: "
                    + "set spring.mail.host (and spring.mail.port, username, password)");
        }
    }

    @Override
    public AlertsProperties.Kind kind() {
        return AlertsProperties.Kind.EMAIL;
    }

    @Override
    public String send(PendingAction action, AlertsProperties.Channel channel, AlertMessage message) throws Exception {
        JavaMailSender sender = mail.getObject();
        MimeMessage mime = new MimeMessage(sender.createMimeMessage().getSession()) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", "<" + action.idempotencyKey() + "@recon>");
            }
        };
        MimeMessageHelper helper = new MimeMessageHelper(mime, "UTF-8");
        helper.setFrom(channel.from());
        helper.setTo(channel.to().toArray(String[]::new));
        helper.setSubject(message.title());
        helper.setText(message.text());
        mime.setHeader("X-Idempotency-Key", action.idempotencyKey());
        sender.send(mime);
        return "accepted by SMTP for " + channel.to();
    }
}
