/**
 * One view of a container, whatever declared it: a `docker.Container` on a Docker host, the task
 * of a Swarm `docker.Service`, or a container of a Kubernetes pod template (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod). The rules in `rules.ts` read only this.
 *
 * The resource inputs are read field by field, and only the fields a rule needs: during a preview
 * the policy SDK throws on reading a value that is not known yet (a network id, an image id), and a
 * field that is never read never blocks a rule.
 */

export type TargetKind = "docker" | "swarm" | "kubernetes";

/** A host directory or file mounted into the container. Named volumes, tmpfs, secrets and config maps are not host mounts. */
export interface HostMount {
    readonly source: string;
    readonly target: string;
    readonly readOnly: boolean;
}

export interface ContainerView {
    readonly target: TargetKind;
    /** Who, in messages: `container wordpress-db-1`, `task of wordpress_db`, `container db`. */
    readonly subject: string;
    /** The image reference, when the resource names it (a Docker container names an image id, judged on its RemoteImage instead). */
    readonly image?: string;
    readonly privileged: boolean;
    readonly hostNetwork: boolean;
    readonly hostPid: boolean;
    readonly hostIpc: boolean;
    readonly hostUts: boolean;
    readonly mounts: readonly HostMount[];
    /** A memory limit is set. */
    readonly memoryLimit: boolean;
    /** A CPU limit or CPU shares are set. */
    readonly cpuLimit: boolean;
    readonly pidsLimit?: number;
    /** The soft `nproc` ulimit, if set. */
    readonly nprocUlimit?: number;
    readonly readOnlyRootfs: boolean;
    readonly user?: string;
    readonly runAsNonRoot?: boolean;
    readonly capAdd: readonly string[];
    /** Host ports published (0 or absent: none). */
    readonly hostPorts: readonly number[];
    readonly healthcheck: "declared" | "disabled" | "none";
    /** Restart behaviour; absent where the target has none to set (Kubernetes). */
    readonly restart?: { readonly policy: string; readonly maxRetries?: number };
}

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function arr(v: unknown): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    return Array.isArray(v) ? v : [];
}

function num(v: unknown): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && !isNaN(Number(v))) return Number(v);
    return undefined;
}

function positive(v: unknown): boolean {
    const n = num(v);
    return n !== undefined ? n > 0 : typeof v === "string" && v.trim() !== "" && v.trim() !== "0";
}

/** Docker's healthcheck test: `["NONE"]` disables the image's own. */
function dockerHealthcheck(h: Props | undefined): ContainerView["healthcheck"] {
    if (!h) return "none";
    const tests = arr(h["tests"]);
    if (tests.length && String(tests[0]).toUpperCase() === "NONE") return "disabled";
    return tests.length ? "declared" : "none";
}

/** `docker:index/container:Container`. A container that is never started (`start: false`, dockyard's files holders) runs nothing and is not judged. */
export function dockerContainer(p: Props): ContainerView[] {
    if (p["start"] === false) return [];
    const mounts: HostMount[] = [
        ...arr(p["mounts"]).filter((m) => m["type"] === "bind" && typeof m["source"] === "string")
            .map((m) => ({ source: m["source"], target: String(m["target"]), readOnly: m["readOnly"] === true })),
        ...arr(p["volumes"]).filter((v) => typeof v["hostPath"] === "string")
            .map((v) => ({ source: v["hostPath"], target: String(v["containerPath"]), readOnly: v["readOnly"] === true })),
    ];
    const nproc = arr(p["ulimits"]).find((u) => u["name"] === "nproc");
    const name = typeof p["name"] === "string" ? p["name"] : "(unnamed)";
    return [{
        target: "docker",
        subject: `container ${name}`,
        privileged: p["privileged"] === true,
        hostNetwork: p["networkMode"] === "host",
        hostPid: p["pidMode"] === "host",
        hostIpc: p["ipcMode"] === "host",
        hostUts: false,
        mounts,
        memoryLimit: positive(p["memory"]),
        cpuLimit: positive(p["cpus"]) || positive(p["cpuShares"]) || positive(p["cpuQuota"]),
        nprocUlimit: nproc ? num(nproc["soft"]) : undefined,
        readOnlyRootfs: p["readOnly"] === true,
        user: typeof p["user"] === "string" ? p["user"] : undefined,
        capAdd: arr(p["capabilities"]?.["adds"]).map(String),
        hostPorts: arr(p["ports"]).map((x) => num(x["external"]) ?? 0),
        healthcheck: dockerHealthcheck(p["healthcheck"]),
        restart: { policy: typeof p["restart"] === "string" ? p["restart"] : "no", maxRetries: num(p["maxRetryCount"]) },
    }];
}

/** `docker:index/service:Service`: the task every replica runs. */
export function swarmService(p: Props): ContainerView[] {
    const task: Props = p["taskSpec"] ?? {};
    const spec: Props = task["containerSpec"] ?? {};
    const limits: Props = task["resources"]?.["limits"] ?? {};
    const restart: Props | undefined = task["restartPolicy"];
    const name = typeof p["name"] === "string" ? p["name"] : "(unnamed)";
    return [{
        target: "swarm",
        subject: `task of service ${name}`,
        image: typeof spec["image"] === "string" ? spec["image"] : undefined,
        // Swarm services cannot be privileged nor join the host's PID, IPC or UTS namespace.
        privileged: false,
        hostNetwork: arr(task["networksAdvanceds"]).some((n) => n["name"] === "host"),
        hostPid: false,
        hostIpc: false,
        hostUts: false,
        mounts: arr(spec["mounts"]).filter((m) => m["type"] === "bind" && typeof m["source"] === "string")
            .map((m) => ({ source: m["source"], target: String(m["target"]), readOnly: m["readOnly"] === true })),
        memoryLimit: positive(limits["memoryBytes"]),
        cpuLimit: positive(limits["nanoCpus"]),
        readOnlyRootfs: spec["readOnly"] === true,
        user: typeof spec["user"] === "string" ? spec["user"] : undefined,
        capAdd: arr(spec["capAdds"]).map(String),
        hostPorts: arr(p["endpointSpec"]?.["ports"]).map((x) => num(x["publishedPort"]) ?? 0),
        healthcheck: dockerHealthcheck(spec["healthcheck"]),
        // Swarm's default condition is any.
        restart: { policy: restart?.["condition"] ?? "any", maxRetries: num(restart?.["maxAttempts"]) },
    }];
}

/** Kubernetes workload types whose pod template is judged, with where the template is. */
export const KUBERNETES_WORKLOADS: Readonly<Record<string, (p: Props) => Props | undefined>> = {
    "kubernetes:apps/v1:Deployment": (p) => p["spec"]?.["template"],
    "kubernetes:apps/v1:StatefulSet": (p) => p["spec"]?.["template"],
    "kubernetes:apps/v1:DaemonSet": (p) => p["spec"]?.["template"],
    "kubernetes:apps/v1:ReplicaSet": (p) => p["spec"]?.["template"],
    "kubernetes:batch/v1:Job": (p) => p["spec"]?.["template"],
    "kubernetes:batch/v1:CronJob": (p) => p["spec"]?.["jobTemplate"]?.["spec"]?.["template"],
    "kubernetes:core/v1:Pod": (p) => ({ metadata: p["metadata"], spec: p["spec"] }),
};

function k8sMemoryOrCpu(v: unknown): boolean {
    return positive(v) || (typeof v === "string" && /^[0-9.]+[a-zA-Z]*$/.test(v) && parseFloat(v) > 0);
}

/** The containers of a pod template (init containers too: they run with the same privileges). */
export function kubernetesPod(template: Props | undefined): ContainerView[] {
    const spec: Props = template?.["spec"] ?? {};
    const podSc: Props = spec["securityContext"] ?? {};
    const hostPaths = new Map<string, string>();
    for (const v of arr(spec["volumes"])) {
        const path = v["hostPath"]?.["path"];
        if (typeof path === "string") hostPaths.set(String(v["name"]), path);
    }
    const all = [...arr(spec["initContainers"]).map((c) => ({ c, init: true })), ...arr(spec["containers"]).map((c) => ({ c, init: false }))];
    return all.map(({ c, init }): ContainerView => {
        const sc: Props = c["securityContext"] ?? {};
        const limits: Props = c["resources"]?.["limits"] ?? {};
        const runAsUser = num(sc["runAsUser"]) ?? num(podSc["runAsUser"]);
        const runAsNonRoot = sc["runAsNonRoot"] ?? podSc["runAsNonRoot"];
        const name = String(c["name"] ?? "(unnamed)");
        return {
            target: "kubernetes",
            subject: `${init ? "init container" : "container"} ${name}`,
            image: typeof c["image"] === "string" ? c["image"] : undefined,
            privileged: sc["privileged"] === true,
            hostNetwork: spec["hostNetwork"] === true,
            hostPid: spec["hostPID"] === true,
            hostIpc: spec["hostIPC"] === true,
            // A pod on the host's network shares the host's UTS namespace too (its hostname is the node's).
            hostUts: spec["hostNetwork"] === true,
            mounts: arr(c["volumeMounts"]).filter((m) => hostPaths.has(String(m["name"])))
                .map((m) => ({ source: hostPaths.get(String(m["name"]))!, target: String(m["mountPath"]), readOnly: m["readOnly"] === true })),
            memoryLimit: k8sMemoryOrCpu(limits["memory"]),
            cpuLimit: k8sMemoryOrCpu(limits["cpu"]),
            readOnlyRootfs: sc["readOnlyRootFilesystem"] === true,
            user: runAsUser !== undefined ? String(runAsUser) : undefined,
            runAsNonRoot: runAsNonRoot === true && runAsUser !== 0 ? true : undefined,
            capAdd: arr(sc["capabilities"]?.["add"]).map(String),
            hostPorts: arr(c["ports"]).map((x) => num(x["hostPort"]) ?? 0),
            // Init containers run to completion; probes are not allowed on them.
            healthcheck: init || c["livenessProbe"] || c["readinessProbe"] ? "declared" : "none",
        };
    });
}

/** The containers a resource declares, or undefined for a resource type that declares none. */
export function containersOf(type: string, props: Props): ContainerView[] | undefined {
    if (type === "docker:index/container:Container") return dockerContainer(props);
    if (type === "docker:index/service:Service") return swarmService(props);
    const template = KUBERNETES_WORKLOADS[type];
    return template ? kubernetesPod(template(props)) : undefined;
}

/**
 * The labels and annotations an opt-out may be written in, by key. Only keys with `prefix` are
 * read (values of other labels may be unknown during a preview).
 */
export function optOutLabels(type: string, props: Props, prefix: string): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const fromList = (list: unknown): void => {
        for (const l of arr(list)) {
            const key = l["label"];
            if (typeof key === "string" && key.startsWith(prefix)) out.set(key, l["value"]);
        }
    };
    const fromRecord = (rec: unknown): void => {
        if (!rec || typeof rec !== "object") return;
        for (const key of Object.keys(rec)) if (key.startsWith(prefix)) out.set(key, (rec as Props)[key]);
    };
    if (type === "docker:index/container:Container") fromList(props["labels"]);
    else if (type === "docker:index/service:Service") {
        fromList(props["labels"]);
        fromList(props["taskSpec"]?.["containerSpec"]?.["labels"]);
    } else if (type === "docker:index/remoteImage:RemoteImage") {
        // An image has no labels of its own in the provider; its opt-outs are on the containers.
    } else if (KUBERNETES_WORKLOADS[type]) {
        fromRecord(props["metadata"]?.["labels"]);
        fromRecord(props["metadata"]?.["annotations"]);
        const t = KUBERNETES_WORKLOADS[type](props);
        fromRecord(t?.["metadata"]?.["labels"]);
        fromRecord(t?.["metadata"]?.["annotations"]);
    }
    return out;
}
