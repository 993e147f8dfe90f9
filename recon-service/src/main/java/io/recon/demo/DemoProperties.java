package io.recon.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recon.demo}: the demo systems (shop, pay, wms databases and the courier topic) and the
 * traffic generator that writes order flows into them with known faults.
 *
 * @param traffic        whether the generator runs
 * @param rate           order flows started per second
 * @param faultRatio     share of flows that carry one injected fault
 * @param lateRatio      share of flows whose payment is committed late but within the allowed lateness (not a fault)
 * @param courierTopic   Kafka topic of courier delivery events
 */
@ConfigurationProperties("recon.demo")
public record DemoProperties(@DefaultValue("true") boolean traffic,
                             @DefaultValue("5") double rate,
                             @DefaultValue("0.15") double faultRatio,
                             @DefaultValue("0.05") double lateRatio,
                             @DefaultValue("courier.deliveries") String courierTopic) {
}
