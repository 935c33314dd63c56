/**
 * A resource (type token and inputs) judged by one rule: the violations left after the resource's
 * opt-outs. The policy pack (`index.ts`) and the tests both go through here, so what the tests
 * prove of a rule is what `pulumi preview --policy-pack policy` reports.
 */
import { daemonJsonOf } from "./daemon";
import { CONTAINER_RULES, ContainerRule, DAEMON_RULES, DaemonRule, NOT_JUDGED, checkContainers, pinnedImage } from "./rules";
import { OptOuts, SKIP_PREFIX, daemonOptOutLabels, parseOptOuts } from "./skip";
import { containersOf, optOutLabels } from "./workload";

export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

export type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Verdict {
    /** The rule does not look at this kind of resource. */
    readonly applies: boolean;
    /** Why the rule cannot judge this resource although it is of a kind it looks at (Kubernetes and 5.15, for example). */
    readonly notJudged?: string;
    /** Violations, each `<subject>: <message>`, after opt-outs. */
    readonly violations: readonly string[];
    /** The opt-out reason, when the resource opted out and would otherwise have violated the rule. */
    readonly skipped?: string;
}

/** The opt-outs of a resource (a daemon's from daemon.json labels). */
export function optOutsOf(type: string, props: Props): OptOuts {
    const daemon = daemonJsonOf(type, props);
    if (daemon) return parseOptOuts(daemonOptOutLabels(daemon), "daemon.json label");
    return parseOptOuts(optOutLabels(type, props, SKIP_PREFIX), "label");
}

function verdict(messages: string[], optOuts: OptOuts, id: string): Verdict {
    if (!messages.length) return { applies: true, violations: [] };
    const reason = optOuts.reasons.get(id);
    return reason !== undefined ? { applies: true, violations: [], skipped: reason } : { applies: true, violations: messages };
}

export function judgeDaemonRule(rule: DaemonRule, type: string, props: Props): Verdict {
    const json = daemonJsonOf(type, props);
    if (!json) return { applies: false, violations: [] };
    return verdict(rule.check(json).map((m) => `daemon.json: ${m}`), optOutsOf(type, props), rule.id);
}

export function judgeContainerRule(rule: ContainerRule, type: string, props: Props): Verdict {
    if (rule.id === "4.2" && type === REMOTE_IMAGE) {
        // On a Docker host a container names its image by id; the reference is the RemoteImage's name.
        const name = props["name"];
        const messages = typeof name === "string" && !pinnedImage(name) ? [`image ${JSON.stringify(name)} is not pinned (no tag, or latest): what runs changes with every pull; name a version or a digest`] : [];
        return { applies: true, violations: messages };
    }
    const containers = containersOf(type, props);
    if (containers === undefined) return { applies: false, violations: [] };
    const targets = new Set(containers.map((c) => c.target));
    const notJudged = [...targets].map((t) => NOT_JUDGED[rule.id]?.[t]).find((r) => r !== undefined);
    if (notJudged !== undefined && targets.size === 1) return { applies: true, notJudged, violations: [] };
    const messages = checkContainers(rule, containers).map((f) => `${f.subject}: ${f.message}`);
    return verdict(messages, optOutsOf(type, props), rule.id);
}

export function judgeRule(rule: DaemonRule | ContainerRule, type: string, props: Props): Verdict {
    return rule.section === "daemon" ? judgeDaemonRule(rule, type, props) : judgeContainerRule(rule, type, props);
}

/** Every rule's verdict on a resource, by rule id (only the rules that look at its kind). */
export function judgeAll(type: string, props: Props): Map<string, Verdict> {
    const out = new Map<string, Verdict>();
    for (const rule of [...DAEMON_RULES, ...CONTAINER_RULES]) {
        const v = judgeRule(rule, type, props);
        if (v.applies) out.set(rule.id, v);
    }
    return out;
}
