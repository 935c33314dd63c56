/**
 * The Pulumi package schema of dockyard's components, from which `pulumi package add` generates
 * the SDKs of Python, Go, C# and YAML programs. It is written here, next to the code it describes,
 * rather than inferred from the TypeScript classes (Pulumi's component-provider host can infer a
 * schema, but not from arguments that hold a `Target` object): every property below is one that
 * provider.ts reads or writes. `npm run package:schema` commits it as pulumi-package/schema.json.
 */
import * as fs from "fs";
import * as path from "path";

export const PACKAGE = "dockyard";

/** The package's version: the repository's (package.json), which the schema and the SDKs carry. */
export function packageVersion(): string {
    // bin/components/package/schema.js, or components/package/schema.ts under ts-node: two levels below the root either way
    for (const up of ["../../..", "../.."]) {
        const file = path.resolve(__dirname, up, "package.json");
        if (fs.existsSync(file)) {
            const json = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (json.name === PACKAGE && json.version) return json.version;
        }
    }
    throw new Error(`dockyard's package.json was not found above ${__dirname}`);
}

type Json = Record<string, unknown>;

const str = (description: string, extra: Json = {}): Json => ({ type: "string", description, ...extra });
const bool = (description: string): Json => ({ type: "boolean", description });
const int = (description: string): Json => ({ type: "integer", description });
const strings = (description: string): Json => ({ type: "array", items: { type: "string" }, description });
const stringMap = (description: string): Json => ({ type: "object", additionalProperties: { type: "string" }, description });
const ref = (type: string, description: string, extra: Json = {}): Json => ({ $ref: `#/types/${PACKAGE}:${type}`, description, ...extra });
const any = (description: string): Json => ({ $ref: "pulumi.json#/Any", description });
const secret = { secret: true };

const registry = ref("index:Registry", "A private registry: images from it are pulled with these credentials, images built by the app are pushed there.");
const runtimeInput = ref("index:Runtime", "Where it runs: { docker: {...} }, { swarm: {...} } or { kubernetes: {...} }, or a DockerHost's or SwarmCluster's `runtime` output.");
const labelsInput = stringMap("Extra labels put on every resource.");

const types: Record<string, Json> = {
    "index:Runtime": {
        type: "object",
        description: "Where applications run: exactly one of docker, swarm or kubernetes.",
        properties: {
            docker: ref("index:DockerRuntime", "A Docker engine."),
            swarm: ref("index:SwarmRuntime", "An existing Docker Swarm."),
            kubernetes: ref("index:KubernetesRuntime", "A Kubernetes cluster."),
        },
    },
    "index:DockerRuntime": {
        type: "object",
        description: "A Docker engine, reached over the local socket, TCP with TLS or SSH.",
        properties: {
            host: str("unix:///path, tcp://host:port (with tls) or ssh://user@host. Default: the engine the docker CLI would use (DOCKER_HOST, the current context, the local socket)."),
            tls: ref("index:Tls", "TLS material of a tcp:// engine."),
            sshOpts: strings("Extra ssh options of an ssh:// engine."),
            publicHost: str("Host name that published ports are reached at. Default: localhost for unix://, else the host's name."),
            retainVolumes: bool("Keep named volumes when the app is destroyed (as `docker compose down` without -v). Default: true."),
            registry,
        },
    },
    "index:SwarmRuntime": {
        type: "object",
        description: "An existing Docker Swarm, reached through a manager's engine.",
        properties: {
            dockerHost: str("Docker endpoint of a manager. Default: the local engine."),
            host: str("Host name that published ports are reached at. Default: localhost."),
            retainVolumes: bool("Keep named volumes when the app is destroyed. Default: true."),
            registry,
        },
    },
    "index:KubernetesRuntime": {
        type: "object",
        description: "A Kubernetes cluster.",
        properties: {
            kubeconfig: str("Kubeconfig contents. Default: the ambient kubeconfig.", secret),
            context: str("Kubeconfig context. Default: the current one."),
            namespace: str("Namespace of the app's resources. Default: one named after the app."),
            serviceType: str("Service type of published ports: NodePort or LoadBalancer. Default: LoadBalancer."),
            nodeAddress: str("Address published NodePorts are reached at, for the endpoints output."),
            storageClass: str("Storage class of volume claims. Default: the cluster's default."),
            defaultVolumeSize: str("Size of volume claims that do not set one."),
            allowHostPath: bool("Allow bind mounts as hostPath volumes (single-node clusters only)."),
            registry,
        },
    },
    "index:Tls": {
        type: "object",
        description: "PEM material of a TLS-protected Docker engine.",
        properties: { ca: str("CA certificate.", secret), cert: str("Client certificate.", secret), key: str("Client key.", secret) },
        required: ["ca", "cert", "key"],
    },
    "index:Registry": {
        type: "object",
        description: "A private image registry.",
        properties: { address: str("host[:port] of the registry."), username: str("User name."), password: str("Password or token.", secret) },
        required: ["address"],
    },
    "swarm:SwarmNode": {
        type: "object",
        description: "A node of a swarm.",
        properties: {
            name: str("Node name, unique in the cluster."),
            address: str("Advertise and listen address of the node."),
            connection: ref("swarm:Connection", "SSH connection of a remote node; a node without one is the local engine."),
            labels: stringMap("Node labels (for placement constraints)."),
        },
        required: ["name", "address"],
    },
    "swarm:Connection": {
        type: "object",
        description: "How to reach a node over SSH.",
        properties: {
            host: str("Host name or address."),
            port: int("SSH port. Default: 22."),
            user: str("User. Default: root."),
            privateKey: str("Private key (PEM).", secret),
            password: str("Password.", secret),
        },
        required: ["host"],
    },
};

const resources: Record<string, Json> = {
    "index:App": {
        isComponent: true,
        description: "An application, from Compose files or a spec, deployed to a runtime. Everything is checked before anything is created.",
        inputProperties: {
            runtime: runtimeInput,
            composeFiles: strings("Compose files, later ones overriding earlier ones, relative to the program's directory. Give these or spec."),
            projectName: str("Compose project name. Default: as Compose (the name: key, COMPOSE_PROJECT_NAME, the first file's directory)."),
            workingDir: str("Compose project directory. Default: the first file's directory."),
            profiles: strings("Compose profiles to enable."),
            envFiles: strings("Environment files for interpolation. Default: .env in the project directory."),
            spec: any("The application as dockyard's TypeScript `defineApp` takes it (services, networks, volumes, ...). Give this or composeFiles."),
            labels: labelsInput,
        },
        requiredInputs: ["runtime"],
        properties: {
            endpoints: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Published endpoints (host:port, host:port/udp) by service name." },
            services: strings("Service names, in start order."),
        },
        required: ["endpoints", "services"],
    },
    "index:DockerHost": {
        isComponent: true,
        description: "A Docker engine: a provider for it, and its runtime for apps.",
        inputProperties: (types["index:DockerRuntime"] as { properties: Json }).properties,
        properties: {
            runtime: ref("index:Runtime", "This engine as a runtime: pass it to App, Monitoring, Portainer."),
            publicHost: str("Host name that published ports are reached at."),
        },
        required: ["runtime", "publicHost"],
    },
    "swarm:SwarmCluster": {
        isComponent: true,
        description: "Forms a Docker Swarm from engines (docker swarm init and join) and outputs its runtime for apps.",
        inputProperties: {
            managers: { type: "array", items: { $ref: `#/types/${PACKAGE}:swarm:SwarmNode` }, description: "Managers: an odd number (Raft quorum)." },
            workers: { type: "array", items: { $ref: `#/types/${PACKAGE}:swarm:SwarmNode` }, description: "Workers." },
            port: int("Swarm port. Default: 2377."),
            dockerHost: str("Docker endpoint of the first manager, for the apps. Default: its address, or the local engine for a local node."),
            host: str("Host name that published ports are reached at. Default: the first manager's address."),
            leaveOnDelete: bool("Nodes leave the swarm when the cluster is destroyed. Default: false."),
            registry,
        },
        requiredInputs: ["managers"],
        properties: {
            runtime: ref("index:Runtime", "This swarm as a runtime: pass it to App, Monitoring, Portainer."),
            nodeIds: stringMap("Swarm node id of every node, by node name."),
            workerToken: str("Token that joins a worker.", secret),
            managerToken: str("Token that joins a manager.", secret),
        },
        required: ["runtime", "nodeIds", "workerToken", "managerToken"],
    },
    "monitoring:Monitoring": {
        isComponent: true,
        description: "Prometheus, Alertmanager, Grafana, cAdvisor and node-exporter, deployed as an app on a runtime.",
        inputProperties: {
            runtime: runtimeInput,
            settings: any("Monitoring settings as dockyard's TypeScript MonitoringSettings (retention, thresholds, alerting, grafana, ports, images, ...). Default: {}."),
            labels: labelsInput,
        },
        requiredInputs: ["runtime"],
        properties: {
            grafanaUrl: str("Grafana's URL, when published."),
            prometheusUrl: str("Prometheus' URL, when published."),
            grafanaAdminPassword: str("Grafana's admin password (the given one or a generated one).", secret),
        },
        required: ["grafanaAdminPassword"],
    },
    "portainer:Portainer": {
        isComponent: true,
        description: "Portainer (with its agent on a swarm), deployed as an app on a Docker host or Swarm runtime.",
        inputProperties: {
            runtime: runtimeInput,
            name: str("Application name; prefixes resource names. Default: portainer."),
            adminPassword: str("Admin password. Default: generated.", secret),
            port: int("Published HTTPS port. Default: 9443."),
            image: str("Portainer image."),
            agentImage: str("Portainer agent image (swarm)."),
            labels: labelsInput,
        },
        requiredInputs: ["runtime"],
        properties: {
            url: str("Portainer's HTTPS URL."),
            adminPassword: str("The admin password.", secret),
        },
        required: ["adminPassword"],
    },
};

/** The schema, at `version`. */
export function packageSchema(version = packageVersion()): Json {
    const prefix = (m: Record<string, Json>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [`${PACKAGE}:${k}`, v]));
    return {
        name: PACKAGE,
        displayName: "dockyard",
        version,
        description: "Reusable components for container environments: one application model, deployed to a Docker host, a Swarm or Kubernetes.",
        license: "Apache-2.0",
        keywords: ["docker", "swarm", "kubernetes", "compose", "kind/component", "category/infrastructure"],
        meta: { moduleFormat: "(.*)" },
        language: {
            python: { requires: { "pulumi": ">=3.0.0,<4.0.0" }, respectSchemaVersion: true },
            nodejs: { respectSchemaVersion: true },
            go: { respectSchemaVersion: true },
            csharp: { respectSchemaVersion: true },
        },
        types: prefix(types),
        resources: prefix(resources),
        provider: { description: "dockyard's component provider: no configuration." },
    };
}

/** The schema as `npm run package:schema` writes it (and the committed file holds). */
export function schemaText(version = packageVersion()): string {
    return JSON.stringify(packageSchema(version), null, 2) + "\n";
}
