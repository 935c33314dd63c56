/**
 * What the Kubernetes target can be told beyond the application model: the target's own
 * options (cluster-wide, shared by every app the target deploys) and the `x-kubernetes` extension
 * of a service or a named volume (per app, in the Compose file or the TypeScript spec). All are
 * validated here, once, before anything is converted.
 */
import type * as k8s from "@pulumi/kubernetes";
import { SpecError } from "../../spec/errors";
import { ServiceSpec, VolumeSpec } from "../../spec/types";
import { labelName } from "./names";

const isSubdomain = (name: string): boolean => name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);

export type PublishedServiceType = "NodePort" | "LoadBalancer";
export type ServiceType = "ClusterIP" | PublishedServiceType;
export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job";

/** A horizontal pod autoscaler for one service (`x-kubernetes.autoscaling`). */
export interface AutoscalingExtension {
    /** Fewest pods. @default the service's replicas (at least 1) */
    readonly minReplicas?: number;
    /** Most pods. */
    readonly maxReplicas: number;
    /** Target average CPU use, in percent of the CPU request (the service's CPU reservation). @default 80 */
    readonly cpuUtilization?: number;
}

/**
 * Arguments of {@link KubernetesTarget}: settings of the cluster, shared by every app the target
 * deploys. What belongs to one app (a volume's size, a service's autoscaler) is in the app's
 * `x-kubernetes` extensions; replicas are the service's own.
 */
export interface KubernetesTargetArgs {
    /** Provider of the cluster to deploy to; the ambient provider (current kubeconfig context) when absent. */
    readonly provider?: k8s.Provider;
    /** Existing namespace to deploy into. When absent a namespace named after the app is created. */
    readonly namespace?: string;
    /** Service type for published ports (a service's `x-kubernetes.serviceType` wins). @default "LoadBalancer" */
    readonly serviceType?: PublishedServiceType;
    /** Address NodePort endpoints are reported at. @default "localhost" */
    readonly nodeAddress?: string;
    /** Storage class of the PersistentVolumeClaims. @default the cluster's default storage class */
    readonly storageClass?: string;
    /** Size requested for a named volume without `x-kubernetes.size`, as a Kubernetes quantity. @default "1Gi" */
    readonly defaultVolumeSize?: string;
    /** Let bind mounts become hostPath volumes (only sensible on single-node clusters). @default false */
    readonly allowHostPath?: boolean;
    /**
     * Run every replicated service that mounts a named volume as a StatefulSet, with one claim per
     * pod, instead of a Deployment sharing one claim. Per service: `x-kubernetes.workload`. @default false
     */
    readonly stableStorage?: boolean;
}

/** The options with every default applied. */
export type KubernetesOptions = Required<Omit<KubernetesTargetArgs, "provider" | "namespace" | "storageClass">> &
    Pick<KubernetesTargetArgs, "provider" | "namespace" | "storageClass">;

/**
 * One rule of a ClusterRole, as Kubernetes writes it (`rbac.authorization.k8s.io/v1` PolicyRule):
 * either resources of API groups, or non-resource URLs (`/metrics`), never both.
 */
export interface ClusterRoleRule {
    /** API groups of the resources; `""` is the core group. Required with `resources`. */
    readonly apiGroups?: readonly string[];
    /** Resources (`pods`, `pods/log`, `*`). Required unless `nonResourceURLs` is given. */
    readonly resources?: readonly string[];
    /** Only these objects of the resources. @default every object */
    readonly resourceNames?: readonly string[];
    /** Verbs allowed (`get`, `list`, `watch`, `*`…); at least one. */
    readonly verbs: readonly string[];
    /** URL paths outside the resource API (`/metrics`, `/healthz/*`), instead of resources. */
    readonly nonResourceURLs?: readonly string[];
}

/** The `x-kubernetes` extension of a service. */
export interface ServiceExtension {
    /** Type of the Service for the published ports; `ClusterIP` keeps them inside the cluster. */
    readonly serviceType?: ServiceType;
    /** Force a workload kind instead of the one the rules choose. */
    readonly workload?: WorkloadKind;
    /** Annotations on the Service of the published ports (cloud load-balancer settings). */
    readonly serviceAnnotations?: Record<string, string>;
    /**
     * What the service may do with the Kubernetes API: the target creates a ServiceAccount, a
     * ClusterRole with these rules and a binding, and runs the pods as that account. Without it
     * pods get no API token at all. @default none
     */
    readonly clusterRoleRules?: readonly ClusterRoleRule[];
    /**
     * Let this service's bind mounts become hostPath volumes even when the target's
     * `allowHostPath` is false (node agents such as node-exporter). @default the target's allowHostPath
     */
    readonly allowHostPath?: boolean;
    /**
     * A HorizontalPodAutoscaler on CPU for the service; the workload then leaves its replica count
     * to it. Needs a CPU reservation (`deploy.resources.reservations.cpus`). @default none
     */
    readonly autoscaling?: AutoscalingExtension;
}

/** The `x-kubernetes` extension of a named volume. */
export interface VolumeExtension {
    /** Size requested for the volume's claim, as a Kubernetes quantity ("20Gi"). @default the target's defaultVolumeSize */
    readonly size?: string;
    /** Storage class of the volume's claim; `""` asks for no class (a pre-provisioned volume). @default the target's storageClass */
    readonly storageClass?: string;
    /** Access mode of the volume's claim. `ReadWriteMany`/`ReadOnlyMany` let pods on several nodes share it, if the class supports it. @default "ReadWriteOnce" */
    readonly accessMode?: AccessMode;
}

export type AccessMode = "ReadWriteOnce" | "ReadWriteOncePod" | "ReadWriteMany" | "ReadOnlyMany";
export const ACCESS_MODES: readonly AccessMode[] = ["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany", "ReadOnlyMany"];

export const EXTENSION = "x-kubernetes";
const QUANTITY = /^([0-9]+(\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Options that were per app and moved into the app, with where they went. */
const MOVED: Record<string, string> = {
    volumeSizes: `a volume's size is the volume's own: volumes.<key>.${EXTENSION}.size`,
    replicas: "replicas are the service's own: services.<name>.replicas (or deploy.replicas)",
    autoscaling: `an autoscaler is the service's own: services.<name>.${EXTENSION}.autoscaling`,
};

/**
 * Applies the defaults (field by field, so that an explicit `undefined` keeps the default) and
 * checks the options; throws SpecError with a `kubernetes.` path.
 */
export function resolveOptions(args: KubernetesTargetArgs = {}): KubernetesOptions {
    for (const [key, where] of Object.entries(MOVED)) {
        // JavaScript callers, or an options object built elsewhere, may still carry the old per-app settings.
        if (Object.prototype.hasOwnProperty.call(args, key) && (args as Record<string, unknown>)[key] !== undefined) {
            throw new SpecError(`is no longer a target option, so that one target serves every app; ${where}`, `kubernetes.${key}`, undefined);
        }
    }
    const o: KubernetesOptions = {
        provider: args.provider,
        namespace: args.namespace,
        serviceType: args.serviceType ?? "LoadBalancer",
        nodeAddress: args.nodeAddress ?? "localhost",
        storageClass: args.storageClass,
        defaultVolumeSize: args.defaultVolumeSize ?? "1Gi",
        allowHostPath: args.allowHostPath ?? false,
        stableStorage: args.stableStorage ?? false,
    };
    if (o.serviceType !== "NodePort" && o.serviceType !== "LoadBalancer") {
        throw new SpecError('serviceType must be "NodePort" or "LoadBalancer"', "kubernetes.serviceType", o.serviceType);
    }
    if (o.namespace !== undefined) labelName(o.namespace, "kubernetes.namespace");
    checkQuantity(o.defaultVolumeSize, "kubernetes.defaultVolumeSize");
    if (typeof o.allowHostPath !== "boolean") throw new SpecError("allowHostPath must be true or false", "kubernetes.allowHostPath", o.allowHostPath);
    if (typeof o.stableStorage !== "boolean") throw new SpecError("stableStorage must be true or false", "kubernetes.stableStorage", o.stableStorage);
    return o;
}

function checkQuantity(value: string, where: string): void {
    if (typeof value !== "string" || !QUANTITY.test(value)) {
        throw new SpecError('a volume size must be a Kubernetes quantity such as "1Gi" or "500Mi"', where, value);
    }
}

const SERVICE_TYPES: readonly ServiceType[] = ["ClusterIP", "NodePort", "LoadBalancer"];
const WORKLOADS: readonly WorkloadKind[] = ["Deployment", "StatefulSet", "DaemonSet", "Job"];

const EXTENSION_KEYS: readonly (keyof ServiceExtension)[] = ["serviceType", "workload", "serviceAnnotations", "clusterRoleRules", "allowHostPath", "autoscaling"];
const AUTOSCALING_KEYS: readonly (keyof AutoscalingExtension)[] = ["minReplicas", "maxReplicas", "cpuUtilization"];
const VOLUME_EXTENSION_KEYS: readonly (keyof VolumeExtension)[] = ["size", "storageClass", "accessMode"];
const RULE_KEYS: readonly (keyof ClusterRoleRule)[] = ["apiGroups", "resources", "resourceNames", "verbs", "nonResourceURLs"];

/** The service's `x-kubernetes` extension, checked; `{}` when it has none. */
export function serviceExtension(s: ServiceSpec): ServiceExtension {
    const where = `services.${s.name}.${EXTENSION}`;
    const ext = s.extensions[EXTENSION];
    if (ext === undefined || ext === null) return {};
    if (typeof ext !== "object" || Array.isArray(ext)) throw new SpecError(`must be a map with ${EXTENSION_KEYS.join(", ")}`, where, ext);
    const e = ext as Record<string, unknown>;
    for (const key of Object.keys(e)) {
        if (!(EXTENSION_KEYS as string[]).includes(key)) throw new SpecError(`unknown key: use ${EXTENSION_KEYS.join(", ")}`, `${where}.${key}`, key);
    }
    if (e.serviceType !== undefined && !SERVICE_TYPES.includes(e.serviceType as ServiceType)) {
        throw new SpecError(`serviceType must be one of ${SERVICE_TYPES.join(", ")}`, `${where}.serviceType`, e.serviceType);
    }
    if (e.workload !== undefined && !WORKLOADS.includes(e.workload as WorkloadKind)) {
        throw new SpecError(`workload must be one of ${WORKLOADS.join(", ")}`, `${where}.workload`, e.workload);
    }
    const ann = e.serviceAnnotations;
    if (ann !== undefined && (typeof ann !== "object" || ann === null || Object.values(ann).some((v) => typeof v !== "string"))) {
        throw new SpecError("serviceAnnotations must map names to strings", `${where}.serviceAnnotations`, ann);
    }
    if (e.allowHostPath !== undefined && typeof e.allowHostPath !== "boolean") {
        throw new SpecError("allowHostPath must be true or false", `${where}.allowHostPath`, e.allowHostPath);
    }
    if (e.clusterRoleRules !== undefined) checkRules(e.clusterRoleRules, `${where}.clusterRoleRules`);
    if (e.autoscaling !== undefined) checkAutoscaling(s, e.autoscaling, `${where}.autoscaling`);
    return e as ServiceExtension;
}

/** The service's autoscaler with its defaults applied, or undefined; the extension is checked first. */
export function autoscalingOf(s: ServiceSpec): Required<AutoscalingExtension> | undefined {
    const a = serviceExtension(s).autoscaling;
    if (!a) return undefined;
    return { minReplicas: a.minReplicas ?? Math.max(1, s.replicas), maxReplicas: a.maxReplicas, cpuUtilization: a.cpuUtilization ?? 80 };
}

function checkAutoscaling(s: ServiceSpec, value: unknown, where: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new SpecError(`autoscaling must be a map with ${AUTOSCALING_KEYS.join(", ")}`, where, value);
    }
    const a = value as Record<string, unknown>;
    for (const key of Object.keys(a)) {
        if (!(AUTOSCALING_KEYS as string[]).includes(key)) throw new SpecError(`unknown key: use ${AUTOSCALING_KEYS.join(", ")}`, `${where}.${key}`, key);
    }
    if (s.mode === "global") throw new SpecError("a global service runs one pod per node and cannot be autoscaled", where, undefined);
    const min = a.minReplicas ?? Math.max(1, s.replicas);
    if (!Number.isInteger(min) || (min as number) < 1) throw new SpecError("minReplicas must be a whole number, 1 or more", `${where}.minReplicas`, a.minReplicas);
    if (!Number.isInteger(a.maxReplicas) || (a.maxReplicas as number) < (min as number)) {
        throw new SpecError(`maxReplicas must be a whole number, at least minReplicas (${min})`, `${where}.maxReplicas`, a.maxReplicas);
    }
    const cpu = a.cpuUtilization ?? 80;
    if (!Number.isInteger(cpu) || (cpu as number) < 1) throw new SpecError("cpuUtilization must be a whole percentage, 1 or more", `${where}.cpuUtilization`, a.cpuUtilization);
    // Utilization is a percentage of the request; without a request the HPA never scales.
    if (s.resources.reservations.cpus === undefined) {
        throw new SpecError(`autoscaling on CPU needs a CPU request: set deploy.resources.reservations.cpus on service "${s.name}"`, where, undefined);
    }
}

/** The volume's `x-kubernetes` extension, checked; `{}` when it has none. */
export function volumeExtension(v: VolumeSpec): VolumeExtension {
    const where = `volumes.${v.key}.${EXTENSION}`;
    const ext = v.extensions[EXTENSION];
    if (ext === undefined || ext === null) return {};
    if (typeof ext !== "object" || Array.isArray(ext)) throw new SpecError(`must be a map with ${VOLUME_EXTENSION_KEYS.join(", ")}`, where, ext);
    const e = ext as Record<string, unknown>;
    for (const key of Object.keys(e)) {
        if (!(VOLUME_EXTENSION_KEYS as string[]).includes(key)) throw new SpecError(`unknown key: use ${VOLUME_EXTENSION_KEYS.join(", ")}`, `${where}.${key}`, key);
    }
    if (e.size !== undefined) {
        checkQuantity(e.size as string, `${where}.size`);
        // The target does not create an external volume's claim, so it could not give it this size.
        if (v.external) throw new SpecError("an external volume is an existing claim, whose size the target does not set; remove size", `${where}.size`, e.size);
    }
    if (e.storageClass !== undefined) {
        // A StorageClass is an object name (a DNS subdomain); "" is the API's way to ask for none.
        if (typeof e.storageClass !== "string" || (e.storageClass !== "" && !isSubdomain(e.storageClass))) {
            throw new SpecError('a storage class must be the name of a StorageClass (lower-case a-z, 0-9, \'-\' and \'.\'), or "" for none', `${where}.storageClass`, e.storageClass);
        }
        if (v.external) throw new SpecError("an external volume is an existing claim, whose storage class the target does not set; remove storageClass", `${where}.storageClass`, e.storageClass);
    }
    if (e.accessMode !== undefined) {
        if (!ACCESS_MODES.includes(e.accessMode as AccessMode)) throw new SpecError(`accessMode must be one of ${ACCESS_MODES.join(", ")}`, `${where}.accessMode`, e.accessMode);
        if (v.external) throw new SpecError("an external volume is an existing claim, whose access mode the target does not set; remove accessMode", `${where}.accessMode`, e.accessMode);
    }
    return e as VolumeExtension;
}

/** A list of strings; empty strings only where they mean something (`""` is the core API group). */
const isStringList = (v: unknown, allowEmpty: boolean): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string" && (allowEmpty || x !== ""));
const isEmpty = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.length === 0);

/**
 * The checks the API server makes on a ClusterRole's rules (rbac validation's ValidatePolicyRule),
 * made here so that a bad rule fails with its Compose path before anything is created.
 */
function checkRules(rules: unknown, where: string): void {
    if (!Array.isArray(rules) || rules.length === 0) {
        throw new SpecError("clusterRoleRules must be a list of at least one rule ({apiGroups, resources, verbs})", where, rules);
    }
    rules.forEach((rule: unknown, i) => {
        const at = `${where}[${i}]`;
        if (typeof rule !== "object" || rule === null || Array.isArray(rule)) throw new SpecError("a rule must be a map with apiGroups, resources and verbs", at, rule);
        const r = rule as Record<string, unknown>;
        for (const key of Object.keys(r)) {
            if (!(RULE_KEYS as string[]).includes(key)) throw new SpecError(`unknown key: use ${RULE_KEYS.join(", ")}`, `${at}.${key}`, key);
        }
        for (const key of RULE_KEYS) {
            if (r[key] !== undefined && !isStringList(r[key], key === "apiGroups")) {
                throw new SpecError(`${key} must be a list of ${key === "apiGroups" ? "" : "non-empty "}strings`, `${at}.${key}`, r[key]);
            }
        }
        if (isEmpty(r.verbs)) throw new SpecError("a rule needs at least one verb (get, list, watch…)", `${at}.verbs`, r.verbs);
        if (!isEmpty(r.nonResourceURLs)) {
            if (!isEmpty(r.apiGroups) || !isEmpty(r.resources) || !isEmpty(r.resourceNames)) {
                throw new SpecError("a rule cannot apply to both resources and non-resource URLs; split it in two", `${at}.nonResourceURLs`, r.nonResourceURLs);
            }
            return;
        }
        if (isEmpty(r.apiGroups)) throw new SpecError('a resource rule needs at least one API group ("" is the core group)', `${at}.apiGroups`, r.apiGroups);
        if (isEmpty(r.resources)) throw new SpecError("a resource rule needs at least one resource", `${at}.resources`, r.resources);
    });
}
