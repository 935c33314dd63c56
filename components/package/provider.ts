/**
 * dockyard as a Pulumi component provider: what a Python, Go, C# or YAML program talks to after
 * `pulumi package add <checkout>/pulumi-package`. Each `construct` is a thin layer over the
 * TypeScript components: its inputs, made plain (inputs.ts) and checked, become the same
 * arguments a TypeScript program passes, with the runtime as data (components/runtime.ts) in place
 * of a `Target` object. Every application is planned before its runtime's provider exists, so a
 * refused input creates nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { App, checkedPlan } from "../app";
import { loadCompose } from "../compose";
import { DockerHost, dockerHostSettings } from "../docker-host";
import { planWithPassword } from "../passwords";
import { Monitoring, MonitoringSettings, monitoringApp } from "../monitoring";
import { Portainer, PortainerSettings, portainerApp } from "../portainer";
import { DockerRuntime, RUNTIME_INPUT_PATHS, RuntimeData, SwarmRuntime, runtimeOf } from "../runtime";
import { defineApp } from "../spec";
import { SpecError } from "../spec/errors";
import { AppInput } from "../spec/input";
import { AppSpec } from "../spec/types";
import { SwarmCluster, SwarmClusterArgs } from "../swarm-cluster";
import { pathMatcher, resolveInputs } from "./inputs";
import { PACKAGE, packageSchema, packageVersion, schemaText } from "./schema";

type Inputs = Record<string, unknown>;

/** The argument paths, per component, that take a `pulumi.Input` (secrets; may be unknown during a preview). */
const INPUT_PATHS: Record<string, readonly string[]> = {
    [`${PACKAGE}:index:App`]: RUNTIME_INPUT_PATHS.map((p) => `runtime.${p}`),
    [`${PACKAGE}:index:DockerHost`]: ["tls.ca", "tls.cert", "tls.key", "registry.username", "registry.password"],
    [`${PACKAGE}:swarm:SwarmCluster`]: ["managers.*.connection.privateKey", "managers.*.connection.password", "workers.*.connection.privateKey", "workers.*.connection.password", "registry.username", "registry.password"],
    [`${PACKAGE}:monitoring:Monitoring`]: [...RUNTIME_INPUT_PATHS.map((p) => `runtime.${p}`), "settings.grafana.adminPassword", "settings.alerting.receivers.*.webhookUrl"],
    [`${PACKAGE}:portainer:Portainer`]: [...RUNTIME_INPUT_PATHS.map((p) => `runtime.${p}`), "adminPassword"],
};

/** Refuses keys the schema does not give `type` (a typo in a YAML program, say). */
function onlyKeys(inputs: Inputs, type: string): void {
    const keys = Object.keys((packageSchema().resources as Record<string, { inputProperties: object }>)[type].inputProperties);
    for (const k of Object.keys(inputs)) {
        if (inputs[k] !== undefined && !keys.includes(k)) throw new SpecError(`unknown argument: use ${keys.join(", ")}`, k, inputs[k]);
    }
}

function stringList(value: unknown, where: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new SpecError("must be a list of strings", where, value);
    return value as string[];
}

function stringMap(value: unknown, where: string): Record<string, string> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) throw new SpecError("must be a map of strings", where, value);
    return value as Record<string, string>;
}

function object<T>(value: unknown, where: string): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) throw new SpecError("must be an object", where, value);
    return value as T;
}

/** The application an App's inputs describe: Compose files or a spec, exactly one. */
export function appSpecOf(name: string, inputs: Inputs): { spec: AppSpec; file?: string } {
    const files = stringList(inputs.composeFiles, "composeFiles");
    const hasFiles = files !== undefined && files.length > 0;
    if (hasFiles === (inputs.spec !== undefined && inputs.spec !== null)) {
        throw new SpecError("give either composeFiles (Compose files) or spec (the application itself), not both, not neither", hasFiles ? "spec" : "composeFiles", hasFiles ? inputs.spec : files);
    }
    if (hasFiles) {
        const spec = loadCompose(files!, {
            onWarning: (w) => pulumi.log.warn(w.message),
            ...(inputs.projectName !== undefined ? { projectName: inputs.projectName as string } : {}),
            ...(inputs.workingDir !== undefined ? { workingDir: inputs.workingDir as string } : {}),
            ...(inputs.profiles !== undefined ? { profiles: stringList(inputs.profiles, "profiles") } : {}),
            ...(inputs.envFiles !== undefined ? { envFile: stringList(inputs.envFiles, "envFiles") } : {}),
        });
        return { spec, file: files![0] };
    }
    for (const k of ["projectName", "workingDir", "profiles", "envFiles"]) {
        if (inputs[k] !== undefined) throw new SpecError("only applies to composeFiles", k, inputs[k]);
    }
    try {
        // The application is named after the component unless the spec names it.
        return { spec: defineApp(withName(object<AppInput>(inputs.spec, "spec")!, name)) };
    } catch (e) {
        if (e instanceof SpecError) throw new SpecError(e.reason, e.path ? `spec.${e.path}` : "spec", e.value);
        throw e;
    }
}

function withName(spec: AppInput, name: string): AppInput {
    return { ...spec, name: spec.name ?? name };
}

/** An output known during a preview that still depends on `resources` (so whatever takes it waits for them). */
function after<T>(value: T, resources: pulumi.CustomResource[]): pulumi.Output<pulumi.Unwrap<T>> {
    return pulumi.all(resources.map((r) => r.urn)).apply(() => pulumi.output(value));
}

export class DockyardProvider implements pulumi.provider.Provider {
    public readonly version = packageVersion();

    public async getSchema(): Promise<string> {
        return schemaText(this.version);
    }

    public async construct(name: string, type: string, rawInputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<pulumi.provider.ConstructResult> {
        const paths = INPUT_PATHS[type];
        if (paths === undefined) throw new Error(`unknown resource type ${type}: dockyard ${this.version} has ${Object.keys(INPUT_PATHS).join(", ")}`);
        // A refusal (a SpecError: the argument's path and value, and the file for Compose) goes to the
        // engine as it is; the engine says which resource it is about ("<type> resource '<name>' has a problem: …").
        const { value, dependencies } = await resolveInputs(rawInputs, pathMatcher(paths));
        return this.build(name, type, value as Inputs, dependencies, options);
    }

    private build(name: string, type: string, inputs: Inputs, dependencies: pulumi.Resource[], options: pulumi.ComponentResourceOptions): pulumi.provider.ConstructResult {
        const labels = stringMap(inputs.labels, "labels");
        const withLabels = labels ? { labels } : {};
        const runtime = () => runtimeOf(object<RuntimeData>(inputs.runtime, "runtime") ?? {}, name, "runtime", { dependsOn: dependencies, ...(options.parent ? { parent: options.parent } : {}) });
        switch (type) {
            case `${PACKAGE}:index:App`: {
                onlyKeys(inputs, type);
                const r = runtime();
                const { spec, file } = appSpecOf(name, inputs);
                checkedPlan(r.planning, spec, name, labels ?? {}, file);
                const app = new App(name, { spec, target: r.create(), ...withLabels }, options);
                return { urn: app.urn, state: { endpoints: app.endpoints, services: Object.keys(spec.services) } };
            }
            case `${PACKAGE}:index:DockerHost`: {
                onlyKeys(inputs, type);
                const s = dockerHostSettings(inputs as DockerRuntime, "");
                const host = new DockerHost(name, { ...inputs, host: s.host }, options);
                const { registry, tls, sshOpts, retainVolumes } = inputs as DockerRuntime;
                const docker: DockerRuntime = { host: s.host, publicHost: s.publicHost, ...Object.fromEntries(Object.entries({ registry, tls, sshOpts, retainVolumes }).filter(([, v]) => v !== undefined)) };
                return { urn: host.urn, state: { runtime: after({ docker }, [host.provider]), publicHost: host.publicHost } };
            }
            case `${PACKAGE}:swarm:SwarmCluster`: {
                onlyKeys(inputs, type);
                const args = inputs as unknown as SwarmClusterArgs;
                const cluster = new SwarmCluster(name, args, options);
                const first = args.managers[0] as SwarmClusterArgs["managers"][number] & { connection?: { host: string; user?: string; port?: number } };
                const dockerHost = args.dockerHost ?? (first.connection ? `ssh://${first.connection.user ?? "root"}@${first.connection.host}:${first.connection.port ?? 22}` : undefined);
                const swarm: SwarmRuntime = {
                    host: args.host ?? first.address,
                    ...(dockerHost !== undefined ? { dockerHost: dockerHost as string } : {}),
                    ...(args.registry ? { registry: args.registry } : {}),
                };
                // Apps on it wait for the swarm to be formed, through the runtime output's dependencies.
                return {
                    urn: cluster.urn,
                    state: { runtime: after({ swarm }, [cluster.provider, ...cluster.formed]), nodeIds: cluster.nodeIds, workerToken: cluster.workerToken, managerToken: cluster.managerToken },
                };
            }
            case `${PACKAGE}:monitoring:Monitoring`: {
                onlyKeys(inputs, type);
                const settings = object<MonitoringSettings>(inputs.settings, "settings") ?? {};
                const r = runtime();
                const password = planWithPassword(settings.grafana?.adminPassword).value;
                checkedPlan(r.planning, monitoringApp({ ...settings, grafana: { ...settings.grafana, adminPassword: password } }, r.planning.discovery()), name, labels ?? {});
                const m = new Monitoring(name, { ...settings, target: r.create(), ...withLabels }, options);
                return { urn: m.urn, state: { grafanaUrl: m.grafanaUrl, prometheusUrl: m.prometheusUrl, grafanaAdminPassword: m.grafanaAdminPassword } };
            }
            case `${PACKAGE}:portainer:Portainer`: {
                onlyKeys(inputs, type);
                const { runtime: _, labels: __, ...settings } = inputs as PortainerSettings & Inputs;
                const r = runtime();
                checkedPlan(r.planning, portainerApp({ ...settings, adminPassword: planWithPassword(settings.adminPassword).value }, r.planning.discovery()), name, labels ?? {});
                const p = new Portainer(name, { ...settings, target: r.create(), ...withLabels }, options);
                return { urn: p.urn, state: { url: p.url, adminPassword: p.adminPassword } };
            }
        }
        throw new Error(`unknown resource type ${type}`);
    }
}
