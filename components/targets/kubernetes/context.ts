/**
 * What every Kubernetes converter needs besides the service itself: the app, the resolved target
 * options, the namespace and the caller's extra labels. Built once per deployment; also checks the
 * app's `x-kubernetes` extensions and the names that must stay unique after conversion to
 * Kubernetes names.
 */
import { SpecError } from "../../spec/errors";
import { AppSpec } from "../../spec/types";
import { labelName, isLabelKey, isLabelValue, serviceObjectName, subdomainName } from "./names";
import { KubernetesOptions, KubernetesTargetArgs, resolveOptions, serviceExtension, volumeExtension } from "./options";
import { bindConfigMapName, isProjectBind, ProjectMounts, readProjectMounts } from "./project-files";

export interface ConvertContext {
    readonly app: AppSpec;
    readonly options: KubernetesOptions;
    /** Namespace every object goes into. */
    readonly namespace: string;
    /** Extra labels put on every object (from `DeployOptions.labels`). */
    readonly labels: Record<string, string>;
    /** Content of the files of the project bound into services (read when the context is made). */
    readonly projectMounts: ProjectMounts;
}

/**
 * Resolves options and checks the whole app (its `x-kubernetes` extensions, its names) before
 * anything is converted, so a bad setting or name fails the deployment before the first resource
 * exists. The target's options hold no per-app settings, so one target serves any number of apps.
 */
export function convertContext(app: AppSpec, args: KubernetesTargetArgs = {}, labels: Record<string, string> = {}): ConvertContext {
    const options = resolveOptions(args);
    for (const [k, v] of Object.entries(labels)) {
        if (!isLabelKey(k) || !isLabelValue(v)) throw new SpecError("an extra label must be a valid Kubernetes label (key and value)", `labels.${k}`, v);
    }
    const namespace = options.namespace ?? labelName(app.name, "name");
    checkUnique(Object.keys(app.services).flatMap((name) => {
        const base = serviceObjectName(name, `services.${name}`);
        serviceExtension(app.services[name]);
        return [[base, `services.${name}`], [`${base}-public`, `services.${name}`]] as [string, string][];
    }), "service");
    checkUnique(Object.values(app.volumes).map((v) => {
        volumeExtension(v);
        return [subdomainName(v.name ?? v.key, `volumes.${v.key}`), `volumes.${v.key}`];
    }), "volume");
    checkUnique(Object.values(app.secrets).map((v) => [subdomainName(v.name ?? v.key, `secrets.${v.key}`), `secrets.${v.key}`]), "secret");
    checkUnique([
        ...Object.values(app.configs).map((v) => [subdomainName(v.name ?? v.key, `configs.${v.key}`), `configs.${v.key}`] as [string, string]),
        // The ConfigMaps of the project's files bound into services share the configs' names.
        ...Object.values(app.services).flatMap((s) => s.mounts.flatMap((m, i) => (isProjectBind(m) ? [[bindConfigMapName(s.name, i), `services.${s.name}.volumes[${i}]`] as [string, string]] : []))),
    ], "ConfigMap");
    // The project's files are read now, so that a missing or oversized one fails before anything is converted.
    return { app, options, namespace, labels, projectMounts: readProjectMounts(app) };
}

function checkUnique(names: [string, string][], what: string): void {
    const seen = new Map<string, string>();
    for (const [name, where] of names) {
        const other = seen.get(name);
        if (other !== undefined && other !== where) {
            throw new SpecError(`${other} and ${where} both become the Kubernetes ${what} name "${name}"; rename one`, where, name);
        }
        seen.set(name, where);
    }
}
