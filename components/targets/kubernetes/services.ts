/**
 * Ports → Services, aliases and Ingresses, so that a service is reached on Kubernetes as on a
 * Compose network, and from outside exactly as far as the Compose file publishes it.
 *
 * - **By name, always.** Every long-running service gets a Service named after it, with all its
 *   ports (published and `expose`d) at their container port numbers. A service that lists no port
 *   still gets one, headless (`clusterIP: None`, a selector, no ports): most databases in Compose
 *   files list none, their images EXPOSE the port and dockyard cannot read images. The API server
 *   accepts a headless Service without ports (core validation's ValidateService requires `ports`
 *   only when `clusterIP` is not `None` and the type is not ExternalName), and the endpoints and
 *   EndpointSlice controllers publish the pods' addresses for it ("Allow headless service not to
 *   have ports"), so DNS answers with the pod IPs and every port works, as Docker's DNS does.
 *   Run-once services (Jobs) get a Service only when they list ports.
 * - **Aliases.** `networks.<net>.aliases` become more Services with the same selector and ports,
 *   named after the alias, so the alias resolves too (one flat namespace: an alias that is not a
 *   Service name, or that another service uses, is dropped with a warning; see {@link resolveAliases}).
 *   `links` are not in the model (the loader reports them), so their aliases are not made.
 * - **Exposure follows the Compose file.** A published port becomes a port of the
 *   `<service>-public` Service (NodePort or LoadBalancer, by the target or `x-kubernetes.serviceType`).
 *   A port bound to a loopback address (`127.0.0.1:8080:80`, `[::1]:8080:80`) is reachable only
 *   from the Docker host itself, so it is not published: it stays on the in-cluster Service. A port
 *   bound to one other address (`192.168.1.10:8080:80`) is not published either: Kubernetes cannot
 *   listen on one address of a node, and publishing on every node or load-balancer address would
 *   open what the Compose file closed. `loadBalancerIP` (deprecated since 1.24, and only for an
 *   address the cloud reserves for the load balancer, not a Docker host's) and `externalIPs`
 *   (refused by clusters that enable DenyServiceExternalIPs after CVE-2020-8554, and useful only
 *   when the address routes to a node) depend on the cluster, which the plan cannot see. Both
 *   cases are warnings (support.ts). `0.0.0.0` and `::` are every address: published as usual.
 *
 * kompose does the same with its labels, which map to `x-kubernetes` keys here: `kompose.service.type`
 * → `serviceType` (its `headless` value → `headless: true`), `kompose.service.expose` (+ `.tls-secret`,
 * `.ingress-class-name`) → `ingress`, `kompose.service.nodeport.port` → `nodePort`,
 * `kompose.service.external-traffic-policy` → `externalTrafficPolicy`. Deliberate differences:
 * kompose makes no Service for a service without ports (dockyard makes a headless one, so the name
 * resolves) and one Service per service (dockyard keeps the in-cluster Service at container ports,
 * like Compose's network, apart from the published one); kompose's Ingress goes to the first port,
 * dockyard's to `ingress.port` or the first TCP port; dockyard also takes `nodePort` on a LoadBalancer
 * Service (which has node ports too), and checks the NodePort range, which kompose does not.
 * `kompose.service.group` (several services in one pod) is not offered: a service is a pod, scaled and
 * restarted on its own, as in Compose.
 */
import type * as k8s from "@pulumi/kubernetes";
import { isIP } from "net";
import { SpecError } from "../../spec/errors";
import { AppSpec, PortSpec, ServiceSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { selectorLabels, serviceObjectLabels } from "./labels";
import { kubeName, portName, serviceObjectName } from "./names";
import { EXTENSION, NODE_PORT_MAX, NODE_PORT_MIN, serviceExtension, ServiceType, WorkloadKind } from "./options";
import { appProtocolOf, listenPorts, toProtocol } from "./pod";

type Service = k8s.types.input.core.v1.Service;
type ServicePort = k8s.types.input.core.v1.ServicePort;
type Ingress = k8s.types.input.networking.v1.Ingress;

/** Type of the Service for the service's published ports. */
export function publishedServiceType(ctx: ConvertContext, s: ServiceSpec): ServiceType {
    return serviceExtension(s).serviceType ?? ctx.options.serviceType;
}

/** Name of the Service that carries the published ports. */
export function publicServiceName(s: ServiceSpec): string {
    return `${serviceObjectName(s.name, `services.${s.name}`)}-public`;
}

/** `127.0.0.0/8`, `::1` and IPv4-mapped loopback: addresses only the Docker host itself reaches. */
export function isLoopback(ip: string): boolean {
    const v4 = ip.toLowerCase().replace(/^::ffff:/, "");
    if (isIP(v4) === 4) return v4.split(".")[0] === "127";
    return isIP(ip) === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(ip.toLowerCase());
}

/**
 * Where a port is published on Kubernetes, from its Compose host address: `public` (no address,
 * `0.0.0.0` or `::`: every address), `loopback` (only the Docker host: stays in the cluster) or
 * `address` (one other address, which Kubernetes cannot listen on: stays in the cluster).
 */
export function portExposure(p: PortSpec): "public" | "loopback" | "address" {
    if (p.hostIp === undefined || p.hostIp === "0.0.0.0" || p.hostIp === "::") return "public";
    return isLoopback(p.hostIp) ? "loopback" : "address";
}

/** Whether the service's in-cluster Service is headless, and why. */
function isHeadless(s: ServiceSpec, kind: WorkloadKind, hasPorts: boolean): boolean {
    // A StatefulSet's pods get their own DNS names only through a headless governing Service;
    // dnsrr is Swarm's "resolve to the tasks' addresses"; no ports → nothing for a cluster IP to forward.
    return kind === "StatefulSet" || s.deploy.endpointMode === "dnsrr" || serviceExtension(s).headless === true || !hasPorts;
}

/** The in-cluster Service's spec: every listening port at its container port, or headless without ports. */
function clusterServiceSpec(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind): Service["spec"] | undefined {
    const ports = listenPorts(s).map((p): ServicePort => ({ name: p.name, port: p.target, targetPort: p.target, protocol: toProtocol(p.protocol), ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    // A Job that lists no port is not waited for by name; every other service is reachable by its name.
    if (!ports.length && (kind === "Job" || kind === "CronJob")) return undefined;
    return {
        type: "ClusterIP",
        ...(isHeadless(s, kind, ports.length > 0) ? { clusterIP: "None" } : {}),
        selector: selectorLabels(ctx, s),
        ...(ports.length ? { ports } : {}),
    };
}

/**
 * The in-cluster Service, named after the service: how other services reach it by name. Headless
 * for StatefulSets, `endpoint_mode: dnsrr`, `x-kubernetes.headless: true` and services without
 * ports; undefined only for a Job without ports.
 */
export function toClusterService(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind = "Deployment"): Service | undefined {
    const spec = clusterServiceSpec(ctx, s, kind);
    if (!spec) return undefined;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: serviceObjectName(s.name, `services.${s.name}`), namespace: ctx.namespace, labels: serviceObjectLabels(ctx, s) },
        spec,
    };
}

/** An alias dockyard cannot make into a Service, and why (support.ts reports it). */
export interface DroppedAlias {
    readonly service: string;
    readonly network: string;
    readonly alias: string;
    readonly reason: string;
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The network aliases that become Services, per service (lower-cased, each once), and those that
 * cannot: Compose scopes an alias to one network, Kubernetes has one namespace of Service names. An
 * alias is dropped when it is not a Service name (`db.local`, `my_db`: converting it would not make
 * the name the app looks up resolve), when it is another service's name (or its `-public`), or when
 * several services claim it (Docker answers with all of them; a Service selects one service's pods).
 * An alias equal to the service's own name needs nothing.
 */
export function resolveAliases(app: AppSpec): { aliases: Record<string, string[]>; dropped: DroppedAlias[] } {
    // Asked once per service and per network attachment; the spec does not change, so once per app.
    let resolved = RESOLVED.get(app);
    if (!resolved) RESOLVED.set(app, (resolved = resolveAliasesOnce(app)));
    return resolved;
}

const RESOLVED = new WeakMap<AppSpec, ReturnType<typeof resolveAliasesOnce>>();

function resolveAliasesOnce(app: AppSpec): { aliases: Record<string, string[]>; dropped: DroppedAlias[] } {
    const taken = new Map<string, string>();
    for (const name of Object.keys(app.services)) {
        taken.set(kubeName(name), name);
        taken.set(`${kubeName(name)}-public`, name);
    }
    const wanted: { service: string; network: string; alias: string; name: string }[] = [];
    for (const s of Object.values(app.services)) {
        for (const n of s.networks) for (const alias of n.aliases) wanted.push({ service: s.name, network: n.network, alias, name: alias.toLowerCase() });
    }
    const claimants = new Map<string, Set<string>>();
    for (const w of wanted) claimants.set(w.name, (claimants.get(w.name) ?? new Set()).add(w.service));
    const aliases: Record<string, string[]> = Object.create(null);
    const dropped: DroppedAlias[] = [];
    for (const w of wanted) {
        const drop = (reason: string) => dropped.push({ service: w.service, network: w.network, alias: w.alias, reason });
        const owner = taken.get(w.name);
        if (owner === w.service && w.name === kubeName(w.service)) continue;
        if (w.name.length > 63 || !DNS_1035_LABEL.test(w.name)) {
            drop(`"${w.alias}" cannot be a Kubernetes Service name (a-z, 0-9 and '-', starting with a letter), so it does not resolve in the cluster`);
        } else if (owner !== undefined) {
            drop(`"${w.alias}" is the name of a Service of service "${owner}" in the cluster's one namespace, so it does not resolve to "${w.service}"`);
        } else if (claimants.get(w.name)!.size > 1) {
            drop(`"${w.alias}" is an alias of services ${[...claimants.get(w.name)!].map((x) => `"${x}"`).join(" and ")}; a Kubernetes Service selects one service's pods, so it is made for none`);
        } else {
            const list = (aliases[w.service] ??= []);
            if (!list.includes(w.name)) list.push(w.name);
        }
    }
    return { aliases, dropped };
}

/** A Service per network alias of the service, the same as its in-cluster Service under another name. */
export function toAliasServices(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind = "Deployment"): { alias: string; object: Service }[] {
    const spec = clusterServiceSpec(ctx, s, kind);
    if (!spec) return [];
    return (resolveAliases(ctx.app).aliases[s.name] ?? []).map((alias) => ({
        alias,
        object: { apiVersion: "v1", kind: "Service", metadata: { name: alias, namespace: ctx.namespace, labels: serviceObjectLabels(ctx, s) }, spec },
    }));
}

/** The service's published ports that are published on Kubernetes (not bound to one host address), with their index. */
export function publishedPorts(s: ServiceSpec): { port: PortSpec; index: number }[] {
    return s.ports.map((port, index) => ({ port, index })).filter((p) => portExposure(p.port) === "public");
}

/**
 * The Service of the published ports, or undefined when there are none (ports bound to one host
 * address are not published; see the module comment) or the service keeps them in the cluster
 * (`x-kubernetes.serviceType: ClusterIP`). A published port in the NodePort range becomes that node
 * port on a NodePort Service; `x-kubernetes.nodePort` fixes the node port of a single published port.
 */
export function toPublicService(ctx: ConvertContext, s: ServiceSpec): Service | undefined {
    const type = publishedServiceType(ctx, s);
    const ext = serviceExtension(s);
    const where = `services.${s.name}.${EXTENSION}`;
    const published = publishedPorts(s);
    if (!published.length || type === "ClusterIP") {
        // serviceType ClusterIP together with these is refused by serviceExtension already.
        const none = `service "${s.name}" publishes no port on every address (a port bound to one host address stays in the cluster)`;
        if (ext.nodePort !== undefined) throw new SpecError(`${none}, so there is no node port to fix`, `${where}.nodePort`, ext.nodePort);
        if (ext.externalTrafficPolicy !== undefined) {
            throw new SpecError(`${none}; externalTrafficPolicy applies to published ports only`, `${where}.externalTrafficPolicy`, ext.externalTrafficPolicy);
        }
        return undefined;
    }
    const seen = new Set<string>();
    const ports: ServicePort[] = [];
    for (const { port: p, index: i } of published) {
        const port = p.published ?? p.target;
        const key = `${port}/${p.protocol}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const fixedNodePort = type === "NodePort" && p.published !== undefined && p.published >= NODE_PORT_MIN && p.published <= NODE_PORT_MAX;
        ports.push({
            name: p.name !== undefined ? portName(p.name, `services.${s.name}.ports[${i}].name`) : `${p.protocol}-${port}`,
            port,
            targetPort: p.target,
            protocol: toProtocol(p.protocol),
            ...(appProtocolOf(p.appProtocol) ? { appProtocol: p.appProtocol } : {}),
            ...(fixedNodePort ? { nodePort: p.published } : {}),
        });
    }
    if (ext.nodePort !== undefined) {
        // As kompose's nodeport.port: one node port for one port; which one would be a guess otherwise.
        if (ports.length !== 1) {
            throw new SpecError(`nodePort fixes the node port of a service that publishes one port; "${s.name}" publishes ${ports.length} (${ports.map((p) => `${p.port}/${String(p.protocol).toLowerCase()}`).join(", ")})`, `${where}.nodePort`, ext.nodePort);
        }
        ports[0] = { ...ports[0], nodePort: ext.nodePort };
    }
    const annotations = ext.serviceAnnotations;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: publicServiceName(s),
            namespace: ctx.namespace,
            labels: serviceObjectLabels(ctx, s),
            ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
        },
        spec: { type, selector: selectorLabels(ctx, s), ports, ...(ext.externalTrafficPolicy ? { externalTrafficPolicy: ext.externalTrafficPolicy } : {}) },
    };
}

/**
 * `x-kubernetes.ingress` → a networking.k8s.io/v1 Ingress named after the service: one rule per
 * host (or one for every host), the path as a `Prefix`, to the in-cluster Service at `ingress.port`
 * (a port of `ports` or `expose`) or the service's first TCP port; TLS for the hosts with `tlsSecret`.
 * The Ingress needs an ingress controller in the cluster; Pulumi waits for it to get an address.
 */
export function toIngress(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind = "Deployment"): Ingress | undefined {
    const ing = serviceExtension(s).ingress;
    if (!ing) return undefined;
    const where = `services.${s.name}.${EXTENSION}.ingress`;
    if (kind === "Job" || kind === "CronJob") throw new SpecError(`service "${s.name}" runs once (a ${kind}); an Ingress needs a service that keeps serving`, where, undefined);
    const tcp = listenPorts(s).filter((p) => p.protocol === "tcp");
    let port: number;
    if (ing.port !== undefined) {
        if (!tcp.some((p) => p.target === ing.port)) {
            throw new SpecError(`port ${ing.port} is not a TCP port of service "${s.name}"; list it under ports or expose`, `${where}.port`, ing.port);
        }
        port = ing.port;
    } else {
        if (!tcp.length) throw new SpecError(`service "${s.name}" lists no TCP port for the Ingress to route to; list it under ports or expose, or set ingress.port`, where, undefined);
        port = tcp[0].target;
    }
    const hosts = ing.host === undefined ? [] : typeof ing.host === "string" ? [ing.host] : [...ing.host];
    const backend = { service: { name: serviceObjectName(s.name, `services.${s.name}`), port: { number: port } } };
    const http = { paths: [{ path: ing.path ?? "/", pathType: "Prefix", backend }] };
    const annotations = ing.annotations;
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            name: serviceObjectName(s.name, `services.${s.name}`),
            namespace: ctx.namespace,
            labels: serviceObjectLabels(ctx, s),
            ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
        },
        spec: {
            ...(ing.className ? { ingressClassName: ing.className } : {}),
            rules: hosts.length ? hosts.map((host) => ({ host, http })) : [{ http }],
            ...(ing.tlsSecret ? { tls: [{ ...(hosts.length ? { hosts } : {}), secretName: ing.tlsSecret }] } : {}),
        },
    };
}

/** All Services of a service: the in-cluster one, then the public one. */
export function toServices(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind = "Deployment"): Service[] {
    return [toClusterService(ctx, s, kind), toPublicService(ctx, s)].filter((x): x is Service => x !== undefined);
}
