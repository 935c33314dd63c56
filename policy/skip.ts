/**
 * Opting a resource out of a rule, with a reason: one label (Docker, Swarm) or label/annotation
 * (Kubernetes) per rule,
 *
 *     dev.dockyard.cis.skip.<id>: <reason>
 *
 * for example `dev.dockyard.cis.skip.5.6: "node-exporter reads the host's /proc, /sys and / (read-only)"`.
 * In a Compose file or a dockyard app it is a service label; each target carries service labels to
 * the containers, Swarm tasks and pod templates (on Kubernetes a reason with spaces becomes an
 * annotation, which is read the same way). A daemon opts out with the same key in daemon.json's
 * `labels` (`DaemonConfig.labels`).
 *
 * A key without a reason, or naming a rule the pack does not have, is itself a violation (policy
 * `cis-opt-out-labels`), and the rule stays in force for that resource.
 */
import { LABEL_CIS_SKIP_PREFIX } from "../components/spec/labels";
import { RULES_BY_ID } from "./rules";

export const SKIP_PREFIX = LABEL_CIS_SKIP_PREFIX;

export interface OptOuts {
    /** Rule id → reason, for the well-formed opt-outs. */
    readonly reasons: ReadonlyMap<string, string>;
    /** What is wrong with the others, one message each, naming the label and its value. */
    readonly problems: readonly string[];
}

/** Reads opt-outs from labels already filtered to {@link SKIP_PREFIX} (see `optOutLabels`). */
export function parseOptOuts(labels: ReadonlyMap<string, unknown>, where = "label"): OptOuts {
    const reasons = new Map<string, string>();
    const problems: string[] = [];
    for (const [key, value] of [...labels].sort(([a], [b]) => a.localeCompare(b))) {
        if (!key.startsWith(SKIP_PREFIX)) continue;
        const id = key.slice(SKIP_PREFIX.length);
        if (!RULES_BY_ID.has(id)) {
            const known = [...RULES_BY_ID.keys()].join(", ");
            problems.push(`${where} ${key}=${JSON.stringify(value)} names no rule of this pack: ${JSON.stringify(id)} is not one of ${known}`);
            continue;
        }
        const reason = typeof value === "string" ? value.trim() : "";
        if (reason === "") {
            problems.push(`${where} ${key} opts out of CIS ${id} (${RULES_BY_ID.get(id)!.title}) without a reason: its value must say why (got ${JSON.stringify(value)})`);
            continue;
        }
        reasons.set(id, reason);
    }
    return { reasons, problems };
}

/** daemon.json `labels` ("key=value" strings) as a map of the opt-out keys. */
export function daemonOptOutLabels(json: Readonly<Record<string, unknown>>): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const labels = json["labels"];
    if (!Array.isArray(labels)) return out;
    for (const l of labels) {
        if (typeof l !== "string") continue;
        const eq = l.indexOf("=");
        const key = eq < 0 ? l : l.slice(0, eq);
        if (key.startsWith(SKIP_PREFIX)) out.set(key, eq < 0 ? "" : l.slice(eq + 1));
    }
    return out;
}
