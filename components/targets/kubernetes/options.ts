/**
 * What the Kubernetes target can be told beyond the application model: the target's own
 * options (cluster-wide, shared by every app the target deploys) and the `x-kubernetes` extension
 * of a service or a named volume (per app, in the Compose file or the TypeScript spec). All are
 * validated here, once, before anything is converted.
 */
import type * as docker from "@pulumi/docker";
import type * as k8s from "@pulumi/kubernetes";
import { SpecError } from "../../spec/errors";
import { ServiceSpec, VolumeSpec } from "../../spec/types";
import { labelName } from "./names";
import { Registry, RegistryArgs, registrySettings } from "../registry";

export type PublishedServiceType = "NodePort" | "LoadBalancer";
export type ServiceType = "ClusterIP" | PublishedServiceType;
export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";
export type ExternalTrafficPolicy = "Cluster" | "Local";

/**
 * `x-kubernetes.ingress`: a networking.k8s.io/v1 Ingress that routes HTTP to the service
 * (kompose's `kompose.service.expose`, `.tls-secret` and `.ingress-class-name` labels).
 */
export interface IngressExtension {
    /** Host name(s) the Ingress answers for (`shop.example.com`, `*.example.com`). @default every host */
    readonly host?: string | readonly string[];
    /** Path prefix routed to the service. @default "/" */
    readonly path?: string;
    /** Container port the traffic goes to; one of the service's `ports` or `expose`. @default the first TCP port */
    readonly port?: number;
    /** Secret (type kubernetes.io/tls) holding the certificate for the hosts. @default no TLS */
    readonly tlsSecret?: string;
    /** IngressClass (`nginx`, `traefik`). @default the cluster's default class */
    readonly className?: string;
    /** Annotations on the Ingress (controller settings, cert-manager). */
    readonly annotations?: Record<string, string>;
}

/** A horizontal pod autoscaler for one service (`x-kubernetes.autoscaling`). */
export interface AutoscalingExtension {
    /** Fewest pods. @default the service's replicas (at least 1) */
    readonly minReplicas?: number;
    /** Most pods. */
    readonly maxReplicas: number;
    /** Target average CPU use, in percent of the CPU request (the service's CPU reservation). @default 80, unless only memoryUtilization is given */
    readonly cpuUtilization?: number;
    /** Target average memory use, in percent of the memory request (the service's memory reservation). @default none */
    readonly memoryUtilization?: number;
}

/** One probe of `x-kubernetes.probes`: an HTTP GET or a TCP connection, with Kubernetes' timing fields. */
export interface ProbeExtension {
    /** `GET` this path on this port (a number, or the name of one of the service's ports); a status 200–399 is success. */
    readonly httpGet?: { readonly path?: string; readonly port: number | string; readonly scheme?: "HTTP" | "HTTPS" };
    /** Open a TCP connection to this port. */
    readonly tcpSocket?: { readonly port: number | string };
    /** @default 10 (Kubernetes') */
    readonly periodSeconds?: number;
    /** @default 1 (Kubernetes') */
    readonly timeoutSeconds?: number;
    /** @default 3 (Kubernetes') */
    readonly failureThreshold?: number;
    /** Only for readiness (liveness must be 1). @default 1 */
    readonly successThreshold?: number;
    /** @default 0 */
    readonly initialDelaySeconds?: number;
}

/** `x-kubernetes.probes`: HTTP or TCP probes instead of the ones the healthcheck gives (kompose's `kompose.service.healthcheck.*`). */
export interface ProbesExtension {
    readonly readiness?: ProbeExtension;
    readonly liveness?: ProbeExtension;
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
    /**
     * A private registry: pods pull with its credentials (an image pull Secret of the app's
     * namespace), and services with a `build:` section are built (by `builder`), pushed there and
     * run by digest. @default none: `build:` sections are not built
     */
    readonly registry?: RegistryArgs;
    /** Docker engine that builds and pushes (a docker provider, with the registry's `registryAuth`). @default the ambient docker provider (the local engine) */
    readonly builder?: docker.Provider;
    /** Directory local build contexts are kept relative to in state. @default the working directory (under `pulumi`, the project's) */
    readonly projectDir?: string;
}

/** The options with every default applied. */
export type KubernetesOptions = Required<Omit<KubernetesTargetArgs, "provider" | "namespace" | "storageClass" | "registry" | "builder" | "projectDir">> &
    Pick<KubernetesTargetArgs, "provider" | "namespace" | "storageClass" | "builder"> & { readonly registry?: Registry; readonly projectDir: string };

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
    /** An Ingress routing HTTP to the service (see {@link IngressExtension}). @default none */
    readonly ingress?: IngressExtension;
    /** Node port of the one published port (30000-32767), on a NodePort or LoadBalancer Service. @default allocated */
    readonly nodePort?: number;
    /** `Local` keeps the client's source address and sends only to pods on the receiving node. @default "Cluster" */
    readonly externalTrafficPolicy?: ExternalTrafficPolicy;
    /** The in-cluster Service is headless (no cluster IP; its name resolves to the pods' addresses). @default by the rules in services.ts */
    readonly headless?: boolean;
    /** Run the service on a schedule, as a CronJob: 5 cron fields or `@hourly`, `@daily`… @default none */
    readonly schedule?: string;
    /** With `schedule`: what to do when a run is due while the previous one still runs. @default "Allow" */
    readonly concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
    /** With `schedule`: the time zone the schedule is read in (IANA name, `Europe/Paris`). @default the controller manager's */
    readonly timeZone?: string;
    /** HTTP or TCP probes; each replaces the one the healthcheck gives. @default the healthcheck's */
    readonly probes?: ProbesExtension;
    /** When the kubelet pulls the image. @default Kubernetes' (`Always` for `:latest` or no tag, else `IfNotPresent`) */
    readonly imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
    /** Existing Secrets (of type dockerconfigjson) of the namespace to pull the image with. @default none */
    readonly imagePullSecrets?: readonly string[] | string;
    /** Group that owns the pod's volumes (`securityContext.fsGroup`). @default none */
    readonly fsGroup?: number;
    /** An existing ServiceAccount of the namespace to run the pods as; not with clusterRoleRules. @default none (no token) */
    readonly serviceAccountName?: string;
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
        builder: args.builder,
        projectDir: args.projectDir ?? process.cwd(),
        ...(args.registry !== undefined ? { registry: registrySettings(args.registry, "kubernetes.registry") } : {}),
    };
    if (o.serviceType !== "NodePort" && o.serviceType !== "LoadBalancer") {
        throw new SpecError('serviceType must be "NodePort" or "LoadBalancer"', "kubernetes.serviceType", o.serviceType);
    }
    // An existing namespace is used by its name as given, so the name must already be valid (not converted).
    if (o.namespace !== undefined && (typeof o.namespace !== "string" || labelName(o.namespace, "kubernetes.namespace") !== o.namespace)) {
        throw new SpecError("a namespace name must be at most 63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit", "kubernetes.namespace", o.namespace);
    }
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
const WORKLOADS: readonly WorkloadKind[] = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

const EXTENSION_KEYS: readonly (keyof ServiceExtension)[] = [
    "serviceType", "workload", "serviceAnnotations", "clusterRoleRules", "allowHostPath", "autoscaling",
    "schedule", "concurrencyPolicy", "timeZone", "probes", "imagePullPolicy", "imagePullSecrets", "fsGroup", "serviceAccountName",
    "ingress", "nodePort", "externalTrafficPolicy", "headless",
];
const INGRESS_KEYS: readonly (keyof IngressExtension)[] = ["host", "path", "port", "tlsSecret", "className", "annotations"];
const TRAFFIC_POLICIES: readonly ExternalTrafficPolicy[] = ["Cluster", "Local"];
/** The NodePort range of a cluster with the API server's default `--service-node-port-range`. */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
const AUTOSCALING_KEYS: readonly (keyof AutoscalingExtension)[] = ["minReplicas", "maxReplicas", "cpuUtilization", "memoryUtilization"];
const PROBES_KEYS: readonly (keyof ProbesExtension)[] = ["readiness", "liveness"];
const PROBE_KEYS: readonly (keyof ProbeExtension)[] = ["httpGet", "tcpSocket", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold", "initialDelaySeconds"];
const CONCURRENCY_POLICIES = ["Allow", "Forbid", "Replace"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
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
    checkSchedule(s, e, where);
    if (e.probes !== undefined) checkProbes(e.probes, `${where}.probes`);
    if (e.imagePullPolicy !== undefined && !PULL_POLICIES.includes(e.imagePullPolicy as string)) {
        throw new SpecError(`imagePullPolicy must be one of ${PULL_POLICIES.join(", ")}`, `${where}.imagePullPolicy`, e.imagePullPolicy);
    }
    if (e.imagePullSecrets !== undefined) {
        const list = typeof e.imagePullSecrets === "string" ? [e.imagePullSecrets] : e.imagePullSecrets;
        if (!Array.isArray(list) || list.length === 0) throw new SpecError("imagePullSecrets must be a Secret name or a list of them", `${where}.imagePullSecrets`, e.imagePullSecrets);
        list.forEach((name: unknown, i) => checkObjectName(name, "an image pull secret", typeof e.imagePullSecrets === "string" ? `${where}.imagePullSecrets` : `${where}.imagePullSecrets[${i}]`));
    }
    if (e.fsGroup !== undefined && (!Number.isInteger(e.fsGroup) || (e.fsGroup as number) < 0 || (e.fsGroup as number) > 2147483647)) {
        throw new SpecError("fsGroup must be a group id, a whole number from 0", `${where}.fsGroup`, e.fsGroup);
    }
    if (e.serviceAccountName !== undefined) {
        checkObjectName(e.serviceAccountName, "a service account", `${where}.serviceAccountName`);
        // clusterRoleRules create the service's own account; the pod can run as only one.
        if (e.clusterRoleRules !== undefined) {
            throw new SpecError("clusterRoleRules create the service's own account, so the pods cannot also run as an existing one: remove one of them",
                `${where}.serviceAccountName`, e.serviceAccountName);
        }
    }
    if (e.ingress !== undefined) checkIngress(e.ingress, `${where}.ingress`);
    if (e.nodePort !== undefined) {
        if (!Number.isInteger(e.nodePort) || (e.nodePort as number) < NODE_PORT_MIN || (e.nodePort as number) > NODE_PORT_MAX) {
            throw new SpecError(`nodePort must be a whole number from ${NODE_PORT_MIN} to ${NODE_PORT_MAX} (the cluster's NodePort range)`, `${where}.nodePort`, e.nodePort);
        }
        if (e.serviceType === "ClusterIP") throw new SpecError("a ClusterIP Service has no node ports; remove nodePort or serviceType: ClusterIP", `${where}.nodePort`, e.nodePort);
    }
    if (e.externalTrafficPolicy !== undefined) {
        if (!TRAFFIC_POLICIES.includes(e.externalTrafficPolicy as ExternalTrafficPolicy)) {
            throw new SpecError(`externalTrafficPolicy must be one of ${TRAFFIC_POLICIES.join(", ")}`, `${where}.externalTrafficPolicy`, e.externalTrafficPolicy);
        }
        // The API server refuses it on a ClusterIP Service ("may only be set for externally-accessible services").
        if (e.serviceType === "ClusterIP") {
            throw new SpecError("externalTrafficPolicy applies to published ports only; a ClusterIP Service cannot take it", `${where}.externalTrafficPolicy`, e.externalTrafficPolicy);
        }
    }
    if (e.headless !== undefined && typeof e.headless !== "boolean") throw new SpecError("headless must be true or false", `${where}.headless`, e.headless);
    return e as ServiceExtension;
}

/** The service's autoscaler with its defaults applied, or undefined; the extension is checked first. */
export function autoscalingOf(s: ServiceSpec): { minReplicas: number; maxReplicas: number; cpuUtilization?: number; memoryUtilization?: number } | undefined {
    const a = serviceExtension(s).autoscaling;
    if (!a) return undefined;
    // CPU at 80 percent unless only memory is asked for.
    const cpu = a.cpuUtilization ?? (a.memoryUtilization === undefined ? 80 : undefined);
    return {
        minReplicas: a.minReplicas ?? Math.max(1, s.replicas),
        maxReplicas: a.maxReplicas,
        ...(cpu !== undefined ? { cpuUtilization: cpu } : {}),
        ...(a.memoryUtilization !== undefined ? { memoryUtilization: a.memoryUtilization } : {}),
    };
}

/** A DNS subdomain name, as the API server wants the name of a Secret or a ServiceAccount. */
function checkObjectName(name: unknown, what: string, where: string): void {
    if (typeof name !== "string" || name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
        throw new SpecError(`${what} is named by a Kubernetes object name (lower case letters, digits, '-' and '.')`, where, name);
    }
}

const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { name: "day of week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/**
 * Why `schedule` is not a schedule the CronJob controller reads (robfig/cron's standard parser:
 * five fields, or a macro), or undefined when it is.
 */
export function cronProblem(schedule: string): string | undefined {
    const text = schedule.trim();
    if (/^(CRON_)?TZ=/.test(text)) return "a time zone goes in timeZone, not in the schedule";
    if (text.startsWith("@")) return CRON_MACROS.includes(text) ? undefined : `unknown macro ${text}: use ${CRON_MACROS.join(", ")} or five fields`;
    const parts = text.split(/\s+/);
    if (parts.length !== 5) return `a schedule has five fields (minute hour day-of-month month day-of-week), not ${parts.length}`;
    for (let i = 0; i < 5; i++) {
        const f = CRON_FIELDS[i];
        const value = (v: string): number | undefined => {
            const n = f.names?.indexOf(v.toLowerCase()) ?? -1;
            if (n >= 0) return n + f.min;
            return /^\d+$/.test(v) ? Number(v) : undefined;
        };
        for (const item of parts[i].split(",")) {
            const m = /^(\*|\?|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d+))?$/.exec(item);
            if (!m || (m[1] === "?" && i !== 2 && i !== 4)) return `${f.name}: "${item}" is not a value, a range, * or a step`;
            if (m[4] !== undefined && Number(m[4]) < 1) return `${f.name}: a step must be 1 or more`;
            if (m[2] === undefined) continue;
            const lo = value(m[2]);
            const hi = m[3] !== undefined ? value(m[3]) : lo;
            if (lo === undefined || hi === undefined) return `${f.name}: "${item}" is not a number${f.names ? " or a name" : ""}`;
            if (lo < f.min || hi > f.max || lo > hi) return `${f.name}: "${item}" is outside ${f.min}-${f.max}`;
        }
    }
    return undefined;
}

/** `schedule`, `concurrencyPolicy` and `timeZone`: a CronJob's settings, only with a schedule. */
function checkSchedule(s: ServiceSpec, e: Record<string, unknown>, where: string): void {
    if (e.schedule === undefined) {
        for (const key of ["concurrencyPolicy", "timeZone"]) {
            if (e[key] !== undefined) throw new SpecError(`${key} is a setting of a scheduled service: set schedule too`, `${where}.${key}`, e[key]);
        }
        if (e.workload === "CronJob") throw new SpecError("a CronJob needs a schedule: set schedule", `${where}.workload`, e.workload);
        return;
    }
    const problem = typeof e.schedule === "string" ? cronProblem(e.schedule) : "schedule must be a string";
    if (problem) throw new SpecError(`not a cron schedule: ${problem}`, `${where}.schedule`, e.schedule);
    if (e.workload !== undefined && e.workload !== "CronJob") {
        throw new SpecError("a scheduled service runs as a CronJob: remove workload or set it to CronJob", `${where}.workload`, e.workload);
    }
    if (s.mode === "global") throw new SpecError("a global service runs on every node and cannot be scheduled", `${where}.schedule`, e.schedule);
    if (e.concurrencyPolicy !== undefined && !CONCURRENCY_POLICIES.includes(e.concurrencyPolicy as string)) {
        throw new SpecError(`concurrencyPolicy must be one of ${CONCURRENCY_POLICIES.join(", ")}`, `${where}.concurrencyPolicy`, e.concurrencyPolicy);
    }
    const tz = e.timeZone;
    // The API server loads the zone from its database; this catches what no zone name looks like.
    if (tz !== undefined && (typeof tz !== "string" || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz))) {
        throw new SpecError('timeZone must be an IANA time zone name ("UTC", "Europe/Paris")', `${where}.timeZone`, tz);
    }
}

const isWhole = (v: unknown, min: number): boolean => Number.isInteger(v) && (v as number) >= min;

/** `x-kubernetes.probes`: the checks the API server makes on an HTTP or TCP probe. */
function checkProbes(value: unknown, where: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SpecError(`probes must be a map with ${PROBES_KEYS.join(", ")}`, where, value);
    for (const [kind, probe] of Object.entries(value as Record<string, unknown>)) {
        const at = `${where}.${kind}`;
        if (!(PROBES_KEYS as string[]).includes(kind)) throw new SpecError(`unknown key: use ${PROBES_KEYS.join(", ")}`, at, kind);
        if (typeof probe !== "object" || probe === null || Array.isArray(probe)) throw new SpecError("a probe must be a map with httpGet or tcpSocket", at, probe);
        const p = probe as Record<string, unknown>;
        for (const key of Object.keys(p)) {
            if (!(PROBE_KEYS as string[]).includes(key)) throw new SpecError(`unknown key: use ${PROBE_KEYS.join(", ")}`, `${at}.${key}`, key);
        }
        const handlers = (["httpGet", "tcpSocket"] as const).filter((k) => p[k] !== undefined);
        if (handlers.length !== 1) throw new SpecError("a probe needs exactly one of httpGet or tcpSocket", at, handlers.length ? handlers : undefined);
        const h = p[handlers[0]];
        const hat = `${at}.${handlers[0]}`;
        if (typeof h !== "object" || h === null || Array.isArray(h)) throw new SpecError(`${handlers[0]} must be a map with port`, hat, h);
        const allowed = handlers[0] === "httpGet" ? ["path", "port", "scheme"] : ["port"];
        const hm = h as Record<string, unknown>;
        for (const key of Object.keys(hm)) {
            if (!allowed.includes(key)) throw new SpecError(`unknown key: use ${allowed.join(", ")}`, `${hat}.${key}`, key);
        }
        const port = hm.port;
        if (!(isWhole(port, 1) && (port as number) <= 65535) && !(typeof port === "string" && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port) && port.length <= 15 && /[a-z]/.test(port))) {
            throw new SpecError("port must be a port number (1-65535) or the name of one of the service's ports", `${hat}.port`, port);
        }
        if (hm.path !== undefined && (typeof hm.path !== "string" || !hm.path.startsWith("/"))) throw new SpecError("path must start with /", `${hat}.path`, hm.path);
        if (hm.scheme !== undefined && hm.scheme !== "HTTP" && hm.scheme !== "HTTPS") throw new SpecError('scheme must be "HTTP" or "HTTPS"', `${hat}.scheme`, hm.scheme);
        for (const [key, min] of [["periodSeconds", 1], ["timeoutSeconds", 1], ["failureThreshold", 1], ["successThreshold", 1], ["initialDelaySeconds", 0]] as const) {
            if (p[key] !== undefined && !isWhole(p[key], min)) throw new SpecError(`${key} must be a whole number, ${min} or more`, `${at}.${key}`, p[key]);
        }
        if (kind === "liveness" && p.successThreshold !== undefined && p.successThreshold !== 1) {
            throw new SpecError("a liveness probe's successThreshold must be 1", `${at}.successThreshold`, p.successThreshold);
        }
    }
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
    for (const key of ["cpuUtilization", "memoryUtilization"] as const) {
        if (a[key] !== undefined && !isWhole(a[key], 1)) throw new SpecError(`${key} must be a whole percentage, 1 or more`, `${where}.${key}`, a[key]);
    }
    // Utilization is a percentage of the request; without a request the HPA never scales.
    if ((a.cpuUtilization !== undefined || a.memoryUtilization === undefined) && s.resources.reservations.cpus === undefined) {
        throw new SpecError(`autoscaling on CPU needs a CPU request: set deploy.resources.reservations.cpus on service "${s.name}"`, where, undefined);
    }
    if (a.memoryUtilization !== undefined && s.resources.reservations.memoryBytes === undefined) {
        throw new SpecError(`autoscaling on memory needs a memory request: set deploy.resources.reservations.memory on service "${s.name}"`, `${where}.memoryUtilization`, a.memoryUtilization);
    }
}

/** RFC 1123 subdomain: Ingress hosts (after an optional `*.`), Secret and IngressClass names. */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const isSubdomain = (v: unknown): boolean => typeof v === "string" && v.length <= 253 && SUBDOMAIN.test(v);

/** The checks the API server makes on an Ingress (networking validation), made on the extension with its path. */
function checkIngress(value: unknown, where: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new SpecError(`ingress must be a map with ${INGRESS_KEYS.join(", ")} ({} routes every host)`, where, value);
    }
    const i = value as Record<string, unknown>;
    for (const key of Object.keys(i)) {
        if (!(INGRESS_KEYS as string[]).includes(key)) throw new SpecError(`unknown key: use ${INGRESS_KEYS.join(", ")}`, `${where}.${key}`, key);
    }
    if (i.host !== undefined) {
        const hosts = Array.isArray(i.host) ? i.host : [i.host];
        if (hosts.length === 0) throw new SpecError("host must be a host name or a list of at least one", `${where}.host`, i.host);
        hosts.forEach((h, n) => {
            const at = Array.isArray(i.host) ? `${where}.host[${n}]` : `${where}.host`;
            const name = typeof h === "string" && h.startsWith("*.") ? h.slice(2) : h;
            // An Ingress host is a lower-case DNS name, never an IP address; `*.` only as the first label.
            if (!isSubdomain(name) || /^[0-9.]+$/.test(name as string)) {
                throw new SpecError("an Ingress host must be a lower-case DNS name (shop.example.com, *.example.com), not an IP address", at, h);
            }
        });
    }
    if (i.path !== undefined && (typeof i.path !== "string" || !i.path.startsWith("/") || /\s/.test(i.path))) {
        throw new SpecError('an Ingress path must start with "/" and hold no spaces', `${where}.path`, i.path);
    }
    if (i.port !== undefined && (!Number.isInteger(i.port) || (i.port as number) < 1 || (i.port as number) > 65535)) {
        throw new SpecError("port must be a container port number (1-65535)", `${where}.port`, i.port);
    }
    if (i.tlsSecret !== undefined && !isSubdomain(i.tlsSecret)) throw new SpecError("tlsSecret must be the name of a Secret (lower-case a-z, 0-9, '-' and '.')", `${where}.tlsSecret`, i.tlsSecret);
    if (i.className !== undefined && !isSubdomain(i.className)) throw new SpecError("className must be the name of an IngressClass (lower-case a-z, 0-9, '-' and '.')", `${where}.className`, i.className);
    const ann = i.annotations;
    if (ann !== undefined && (typeof ann !== "object" || ann === null || Array.isArray(ann) || Object.values(ann).some((v) => typeof v !== "string"))) {
        throw new SpecError("annotations must map names to strings", `${where}.annotations`, ann);
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
