/**
 * Ports → Services. Every service that listens gets a ClusterIP Service named after it, with all
 * its ports (published and `expose`d) at their container port numbers: that is how other services
 * reach it by name, as on a Compose network. Published ports also get a `<service>-public`
 * Service of type NodePort or LoadBalancer at the published port numbers.
 */
import type * as k8s from "@pulumi/kubernetes";
import { ServiceSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { selectorLabels, serviceObjectLabels } from "./labels";
import { portName, serviceObjectName } from "./names";
import { serviceExtension, ServiceType, WorkloadKind } from "./options";
import { appProtocolOf, listenPorts, toProtocol } from "./pod";

type Service = k8s.types.input.core.v1.Service;
type ServicePort = k8s.types.input.core.v1.ServicePort;

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

/** Type of the Service for the service's published ports. */
export function publishedServiceType(ctx: ConvertContext, s: ServiceSpec): ServiceType {
    return serviceExtension(s).serviceType ?? ctx.options.serviceType;
}

/** Name of the Service that carries the published ports. */
export function publicServiceName(s: ServiceSpec): string {
    return `${serviceObjectName(s.name, `services.${s.name}`)}-public`;
}

/** The in-cluster Service; headless for StatefulSets (stable pod names) and `endpoint_mode: dnsrr`. */
export function toClusterService(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind = "Deployment"): Service | undefined {
    const ports = listenPorts(s).map((p): ServicePort => ({ name: p.name, port: p.target, targetPort: p.target, protocol: toProtocol(p.protocol), ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    const headless = kind === "StatefulSet" || s.deploy.endpointMode === "dnsrr";
    // A StatefulSet needs its governing Service even when it listens on nothing.
    if (!ports.length && kind !== "StatefulSet") return undefined;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: serviceObjectName(s.name, `services.${s.name}`), namespace: ctx.namespace, labels: serviceObjectLabels(ctx, s) },
        spec: {
            type: "ClusterIP",
            ...(headless ? { clusterIP: "None" } : {}),
            selector: selectorLabels(ctx, s),
            ...(ports.length ? { ports } : {}),
        },
    };
}

/**
 * The Service of the published ports, or undefined when there are none or the service keeps
 * them in the cluster (`x-kubernetes.serviceType: ClusterIP`). A published port in the NodePort
 * range becomes that node port; any other is allocated by Kubernetes (see the endpoints).
 */
export function toPublicService(ctx: ConvertContext, s: ServiceSpec): Service | undefined {
    const type = publishedServiceType(ctx, s);
    if (!s.ports.length || type === "ClusterIP") return undefined;
    const seen = new Set<string>();
    const ports: ServicePort[] = [];
    s.ports.forEach((p, i) => {
        const port = p.published ?? p.target;
        const key = `${port}/${p.protocol}`;
        if (seen.has(key)) return;
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
    });
    const annotations = serviceExtension(s).serviceAnnotations;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: publicServiceName(s),
            namespace: ctx.namespace,
            labels: serviceObjectLabels(ctx, s),
            ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
        },
        spec: { type, selector: selectorLabels(ctx, s), ports },
    };
}

/** All Services of a service: the in-cluster one, then the public one. */
export function toServices(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind = "Deployment"): Service[] {
    return [toClusterService(ctx, s, kind), toPublicService(ctx, s)].filter((x): x is Service => x !== undefined);
}
