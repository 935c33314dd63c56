/**
 * Where a service's pods may run: Swarm placement (`deploy.placement`) and `platform` → the
 * pod's nodeSelector, node affinity, tolerations, topology spread and anti-affinity.
 *
 * - `==` constraints on node labels, `node.hostname`, `node.platform.os/arch` → nodeSelector
 *   (an `In` with one value; kept there so that existing pods are not rolled for nothing);
 * - `!=` on the same → node affinity `NotIn`;
 * - `node.role == manager` → the node has `node-role.kubernetes.io/control-plane` (`Exists`, plus
 *   a toleration of the control plane's NoSchedule taint); `== worker` → `DoesNotExist`; `!=`
 *   the other way round;
 * - `preferences: [{spread: node.labels.K}]` → a topology spread over `K` (maxSkew 1, ScheduleAnyway);
 * - `max_replicas_per_node: 1` → required pod anti-affinity per node (`kubernetes.io/hostname`).
 *
 * `node.id`, `engine.labels.*` and other values have no Kubernetes equivalent and are reported
 * (support.ts).
 */
import type * as k8s from "@pulumi/kubernetes";
import { SpecError } from "../../spec/errors";
import { splitPlatform } from "../../spec/platform";
import { getOwn, hasOwn, setOwn } from "../../spec/records";
import { ServiceSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { selectorLabels } from "./labels";
import { isLabelKey, isLabelValue } from "./names";

type NodeSelectorRequirement = { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] };

const ARCH: Record<string, string> = { x86_64: "amd64", amd64: "amd64", aarch64: "arm64", arm64: "arm64" };
/** Operating systems Kubernetes nodes report in `kubernetes.io/os`. */
const NODE_OS = ["linux", "windows"];
/** The label kubeadm (and most distributions) put on control-plane nodes, with the taint of the same key. */
export const CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
const HOSTNAME = "kubernetes.io/hostname";

/**
 * The node labels a service's `platform` selects: `kubernetes.io/os` and `kubernetes.io/arch`
 * (OCI architecture names are the labels' values). Platforms no node reports (`wasi/wasm`, run
 * by a runtime class on Linux nodes) select nothing; support.ts says so.
 */
export function platformSelector(s: ServiceSpec): Record<string, string> {
    if (s.platform === undefined) return {};
    const p = splitPlatform(s.platform);
    if (!NODE_OS.includes(p.os)) return {};
    return { "kubernetes.io/os": p.os, ...(p.architecture !== undefined ? { "kubernetes.io/arch": p.architecture } : {}) };
}

/**
 * One Swarm placement constraint as a node requirement; undefined when it has no Kubernetes
 * equivalent (`node.id`, `engine.labels.*`, an unknown architecture or role). A node label that
 * Kubernetes could not hold (key or value) is an error: no node could ever match, and the API
 * server refuses such a selector.
 */
export function nodeRequirement(c: string, where?: string): NodeSelectorRequirement | undefined {
    const m = /^\s*([\w.-]+)\s*(==|!=)\s*(\S+)\s*$/.exec(c);
    if (!m) return undefined;
    const [, field, op, value] = m;
    const operator = op === "==" ? "In" : "NotIn";
    if (field.startsWith("node.labels.")) {
        const key = field.slice("node.labels.".length);
        if (where !== undefined && (!isLabelKey(key) || !isLabelValue(value))) {
            throw new SpecError(`"${key}=${value}" cannot be a Kubernetes node label, so no node could match the constraint`, where, c);
        }
        return { key, operator, values: [value] };
    }
    if (field === "node.hostname") return { key: HOSTNAME, operator, values: [value] };
    if (field === "node.platform.os") return { key: "kubernetes.io/os", operator, values: [value] };
    if (field === "node.platform.arch") return hasOwn(ARCH, value) ? { key: "kubernetes.io/arch", operator, values: [ARCH[value]] } : undefined;
    if (field === "node.role" && (value === "manager" || value === "worker")) {
        return { key: CONTROL_PLANE, operator: (value === "manager") === (op === "==") ? "Exists" : "DoesNotExist" };
    }
    return undefined;
}

/** Whether a placement constraint is mapped (the others are reported). */
export function isMappedConstraint(c: string): boolean {
    return nodeRequirement(c) !== undefined;
}

/** The requirements of the service's constraints, with their indices. */
function requirements(s: ServiceSpec): NodeSelectorRequirement[] {
    return s.deploy.placement.constraints.flatMap((c, i) => {
        const r = nodeRequirement(c, `services.${s.name}.deploy.placement.constraints[${i}]`);
        return r ? [r] : [];
    });
}

/** `==` on a value → a nodeSelector entry; the rest goes to node affinity. */
const isSelector = (r: NodeSelectorRequirement): boolean => r.operator === "In" && r.key !== CONTROL_PLANE;

/**
 * `==` placement constraints and the service's `platform` → nodeSelector. A platform that
 * contradicts a constraint is an error: no node fits.
 */
export function toNodeSelector(s: ServiceSpec): Record<string, string> | undefined {
    // Keys are node label names users choose ("constructor" among them): own properties only.
    const out: Record<string, string> = {};
    for (const r of requirements(s).filter(isSelector)) setOwn(out, r.key, r.values![0]);
    const excluded = requirements(s).filter((r) => r.operator === "NotIn");
    for (const [key, value] of Object.entries(platformSelector(s))) {
        const before = getOwn(out, key);
        const contradicts = (before !== undefined && before !== value) || excluded.some((r) => r.key === key && r.values!.includes(value));
        if (contradicts) {
            throw new SpecError(`platform "${s.platform}" contradicts the placement constraints (${key}: ${before ?? `not ${value}`}); no node can run the service`, `services.${s.name}.platform`, s.platform);
        }
        setOwn(out, key, value);
    }
    return Object.keys(out).length ? out : undefined;
}

/**
 * Node affinity (`!=` constraints, `node.role`) and pod anti-affinity (`max_replicas_per_node: 1`);
 * undefined when there is neither.
 */
export function toAffinity(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.core.v1.Affinity | undefined {
    const matchExpressions = requirements(s).filter((r) => !isSelector(r));
    // A DaemonSet runs one pod per node anyway.
    const onePerNode = s.deploy.placement.maxReplicasPerNode === 1 && s.mode !== "global";
    const affinity = {
        ...(matchExpressions.length ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } } : {}),
        ...(onePerNode
            ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selectorLabels(ctx, s) }, topologyKey: HOSTNAME }] } }
            : {}),
    };
    return Object.keys(affinity).length ? affinity : undefined;
}

/** A pod that must run on a control-plane node tolerates the control plane's NoSchedule taint. */
export function toTolerations(s: ServiceSpec): k8s.types.input.core.v1.Toleration[] | undefined {
    const manager = requirements(s).some((r) => r.key === CONTROL_PLANE && r.operator === "Exists");
    return manager ? [{ key: CONTROL_PLANE, operator: "Exists", effect: "NoSchedule" }] : undefined;
}

/** The node label a Swarm spread preference spreads over; undefined when it has no Kubernetes equivalent. */
export function spreadKey(spread: string): string | undefined {
    const field = spread.trim();
    if (field === "node.hostname") return HOSTNAME;
    if (!field.startsWith("node.labels.")) return undefined;
    const key = field.slice("node.labels.".length);
    return isLabelKey(key) ? key : undefined;
}

/** `deploy.placement.preferences` spreads → topology spread constraints (maxSkew 1, ScheduleAnyway: a preference, not a rule). */
export function toTopologySpread(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.core.v1.TopologySpreadConstraint[] | undefined {
    const keys = [...new Set(s.deploy.placement.preferences.flatMap((p) => spreadKey(p.spread) ?? []))];
    if (!keys.length || s.mode === "global") return undefined;
    return keys.map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels(ctx, s) } }));
}
