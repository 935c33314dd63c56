/**
 * Generates alertmanager.yml. Webhook URLs carry tokens, so the config only names the file each
 * URL is in (`url_file`, Alertmanager 0.26 and later); the URLs themselves travel as secrets.
 */
import * as YAML from "yaml";
import type { MonitoringConfig } from "./settings";

/** Receiver used when none is configured: alerts are shown in the Alertmanager UI and go nowhere else. */
export const NULL_RECEIVER = "null";

/** Key of the secret holding receiver `name`'s webhook URL. */
export function webhookSecretKey(receiver: string): string {
    return `alertmanager-webhook-${receiver}`;
}

/** Where that secret is mounted in the Alertmanager container. */
export function webhookSecretPath(receiver: string): string {
    return `/run/secrets/${webhookSecretKey(receiver)}`;
}

/** alertmanager.yml for `alerting`; contains no secret. */
export function alertmanagerConfig(alerting: MonitoringConfig["alerting"]): string {
    const receivers = alerting.receivers.length
        ? alerting.receivers.map((r) => ({
              name: r.name,
              webhook_configs: [{ url_file: webhookSecretPath(r.name), send_resolved: r.sendResolved }],
          }))
        : [{ name: NULL_RECEIVER }];
    const doc = {
        route: {
            receiver: receivers[0].name,
            group_by: alerting.groupBy,
            group_wait: alerting.groupWait,
            group_interval: alerting.groupInterval,
            repeat_interval: alerting.repeatInterval,
            ...(alerting.routes.length
                ? { routes: alerting.routes.map((r) => ({ receiver: r.receiver, matchers: r.matchers, ...(r.continue ? { continue: true } : {}) })) }
                : {}),
        },
        receivers,
    };
    return YAML.stringify(doc, { lineWidth: 0 });
}
