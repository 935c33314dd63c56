/**
 * What the Kubernetes target leaves out, as warnings. The converters silently skip fields that
 * Kubernetes has no place for (errors are reserved for things that would change what the app
 * does in a way a user must decide about, such as bind mounts); this module lists every such
 * skip with its Compose path, so `pulumi up` tells the user instead of hiding it.
 */
import { AppSpec, ServiceSpec } from "../../spec/types";
import { splitPlatform } from "../../spec/platform";
import { isMappedConstraint, parseUser, platformSelector } from "./pod";
import { isLabelKey, isLabelValue, kubeName } from "./names";

/** One warning per ignored or approximated setting, `path: message`. */
export function unsupportedSettings(app: AppSpec): string[] {
    const out: string[] = [];
    for (const s of Object.values(app.services)) out.push(...serviceWarnings(s));
    for (const n of Object.values(app.networks)) {
        const where = `networks.${n.key}`;
        if (n.ipam.config.length) out.push(`${where}.ipam: ignored; pod addresses come from the cluster's network plugin`);
        if (n.driver && n.driver !== "bridge" && n.driver !== "overlay") out.push(`${where}.driver: ignored (${n.driver}); the cluster has one pod network`);
    }
    for (const v of Object.values(app.volumes)) {
        if (v.driver || Object.keys(v.driverOpts).length) out.push(`volumes.${v.key}.driver: ignored; the claim uses the target's storage class`);
    }
    return out;
}

function serviceWarnings(s: ServiceSpec): string[] {
    const w = `services.${s.name}`;
    const out: string[] = [];
    const add = (path: string, message: string): void => {
        out.push(`${w}${path}: ${message}`);
    };
    if (kubeName(s.name) !== s.name) add("", `reachable in the cluster as "${kubeName(s.name)}", not "${s.name}" (Kubernetes names allow no '_', '.' or upper case)`);
    if (s.build) add(".build", `images are not built for Kubernetes; push "${s.image}" to a registry the cluster can pull from`);
    if (s.user !== undefined && !parseUser(s.user)) add(".user", `"${s.user}" is not numeric; Kubernetes needs a uid, so the image's default user applies`);
    else if (s.user?.includes(":") && parseUser(s.user)?.runAsGroup === undefined) add(".user", `the group of "${s.user}" is not numeric and is ignored`);
    if (s.groupAdd.some((g) => !/^\d+$/.test(g))) add(".groupAdd", "group names are ignored; Kubernetes takes numeric supplemental groups only");
    if (s.init) add(".init", "no Kubernetes equivalent; use an image with an init process (tini) if the process does not reap children");
    if (s.stopSignal) add(".stopSignal", `not set (${s.stopSignal}); the image's STOPSIGNAL applies (Kubernetes before 1.33 has no per-container stop signal)`);
    if (Object.keys(s.ulimits).length) add(".ulimits", "no Kubernetes equivalent; ulimits come from the container runtime's defaults");
    if (s.logging) add(".logging", "ignored; logging is configured for the whole cluster");
    if (s.resources.cpuShares !== undefined || s.resources.cpuset !== undefined) add(".cpuShares", "cpu_shares and cpuset are ignored; use CPU reservations (requests)");
    if (s.resources.memorySwapBytes !== undefined) add(".memswapLimit", "ignored; Kubernetes manages swap per node");
    if (s.resources.limits.pids !== undefined) add(".deploy.resources.limits.pids", "ignored; pid limits are set per node by the kubelet");
    if (s.securityOpt.length) add(".securityOpt", `ignored (${s.securityOpt.join(", ")}); use the pod's seccomp/AppArmor settings`);
    if (s.networkMode === "none") add(".networkMode", "pods always have a network; \"none\" is ignored");
    if (s.hostname?.includes(".")) add(".hostname", `only the first label of "${s.hostname}" is used as the pod hostname`);
    if (s.domainname) add(".domainname", "ignored; pods get their domain from the cluster");
    if (s.healthcheck && !s.healthcheck.disable && !s.healthcheck.test) add(".healthcheck", "the image's HEALTHCHECK is not read by Kubernetes; give a test to get probes");
    s.ports.forEach((p, i) => {
        if (p.hostIp) add(`.ports[${i}]`, `host address ${p.hostIp} is ignored; Services listen on every node or load-balancer address`);
    });
    s.networks.forEach((n) => {
        if (n.aliases.length) add(`.networks.${n.network}.aliases`, "ignored; the service is reachable by its own name only");
        if (n.ipv4Address || n.ipv6Address) add(`.networks.${n.network}`, "fixed addresses are ignored; pods get addresses from the cluster");
    });
    s.mounts.forEach((m, i) => {
        if (m.type === "tmpfs" && m.mode !== undefined) add(`.tmpfs[${i}]`, "the mode of a tmpfs is ignored");
        if (m.type === "bind" && m.selinux) add(`.volumes[${i}]`, "the SELinux relabel option is ignored");
    });
    [...s.secrets.map((r, i) => [`.secrets[${i}]`, r] as const), ...s.configs.map((r, i) => [`.configs[${i}]`, r] as const)].forEach(([path, r]) => {
        if (r.uid !== undefined || r.gid !== undefined) add(path, "uid and gid of the file are ignored; Kubernetes sets only the mode");
    });
    const dropped = Object.entries(s.labels).filter(([k, v]) => isLabelKey(k) && !isLabelValue(v)).map(([k]) => k);
    if (dropped.length) add(".labels", `${dropped.join(", ")}: not valid Kubernetes label values, put on the pods as annotations`);
    const named = s.mounts.filter((m) => m.type === "volume" && m.source !== undefined);
    if (named.length && (s.mode === "global" || s.replicas > 1)) {
        add(".volumes", "several pods share one ReadWriteOnce claim, so they must all run on one node; use stableStorage (a claim per pod) or a ReadWriteMany storage class");
    }
    if (s.containerName !== undefined) {
        add(".containerName", `ignored; pods are named after the service, so other services reach it as "${kubeName(s.name)}", not "${s.containerName}"`);
    }
    if (s.pid !== undefined && s.pid !== "host") add(".pid", `"${s.pid}" is ignored; a pod shares a PID namespace only with containers of the same pod`);
    if (s.ipc !== undefined && !["host", "private", "shareable"].includes(s.ipc)) add(".ipc", `"${s.ipc}" is ignored; a pod shares an IPC namespace only with containers of the same pod`);
    if (s.cgroupParent !== undefined) add(".cgroupParent", "ignored; the kubelet places pods in its own cgroups");
    if (s.macAddress !== undefined) add(".macAddress", "ignored; pod interfaces come from the cluster's network plugin");
    s.networks.forEach((n) => {
        if (n.macAddress !== undefined) add(`.networks.${n.network}.macAddress`, "ignored; pod interfaces come from the cluster's network plugin");
    });
    if (s.platform !== undefined) {
        const p = splitPlatform(s.platform);
        if (Object.keys(platformSelector(s)).length === 0) {
            add(".platform", `no node label selects "${s.platform}"; ${s.runtime !== undefined ? "the runtime class chooses the nodes" : "pods may be scheduled on any node"}`);
        } else if (p.variant !== undefined) {
            add(".platform", `variant ${p.variant} is ignored; nodes are selected by OS and architecture only`);
        }
    }
    const placement = s.deploy.placement;
    const unmapped = placement.constraints.filter((c) => !isMappedConstraint(c));
    if (unmapped.length) add(".deploy.placement.constraints", `ignored: ${unmapped.join(", ")} (only node.labels.*, node.hostname, node.platform.os/arch with == map to a nodeSelector)`);
    if (placement.preferences.length || placement.maxReplicasPerNode !== undefined) add(".deploy.placement", "preferences and max_replicas_per_node are ignored");
    const u = s.deploy.updateConfig;
    if (u && (u.delayMs !== undefined || u.failureAction !== undefined || u.maxFailureRatio !== undefined)) {
        add(".deploy.updateConfig", "delay, failure_action and max_failure_ratio are ignored; a failed rollout fails `pulumi up`");
    }
    if (s.deploy.rollbackConfig) add(".deploy.rollbackConfig", "ignored; roll back with `pulumi up` on the previous version");
    const rp = s.deploy.restartPolicy;
    if (rp && (rp.delayMs !== undefined || rp.windowMs !== undefined)) add(".deploy.restartPolicy", "delay and window are ignored; the kubelet backs off by itself");
    return out;
}
