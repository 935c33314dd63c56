/**
 * The environments' application: WordPress with MySQL, as in the classic Compose example, with
 * the database password delivered as a secret file (`*_FILE` variables), never as plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import { defineApp } from "../components/spec/normalize";
import { AppSpec } from "../components/spec/types";
import { ServiceInput } from "../components/spec/input";
import { AutoscalingExtension, EXTENSION as K8S, ServiceExtension, VolumeExtension } from "../components/targets/kubernetes/options";

/** Settings of {@link wordpressApp}. */
export interface WordpressSettings {
    /** Host port WordPress is published on. */
    readonly port: number;
    readonly wordpressImage: string;
    readonly dbImage: string;
    /** Database user password (a Pulumi secret). */
    readonly dbPassword: pulumi.Input<string>;
    /** @default 1 */
    readonly replicas?: number;
    readonly wordpress?: Resources;
    readonly db?: Resources;
    /**
     * Settings only the Kubernetes target reads, carried in the app's `x-kubernetes` extensions;
     * without them the spec has no extension at all (as on the other runtimes).
     */
    readonly kubernetes?: KubernetesSettings;
}

/** The app's Kubernetes settings: they belong to the app, not to the target, so one target serves every app. */
export interface KubernetesSettings {
    /** Size of the database volume's claim ("20Gi"). @default the target's defaultVolumeSize */
    readonly dbVolumeSize?: string;
    /** A HorizontalPodAutoscaler for WordPress (needs a CPU reservation). @default none */
    readonly wordpressAutoscaling?: AutoscalingExtension;
}

/** Limits and reservations of one service, in Compose units ("0.5", "512m"); unset ones are omitted. */
export interface Resources {
    readonly cpus?: string;
    readonly memory?: string;
    readonly cpuReservation?: string;
    readonly memoryReservation?: string;
}

function resources(r: Resources | undefined): Pick<ServiceInput, "deploy"> {
    const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    const limits = defined({ cpus: r?.cpus, memory: r?.memory });
    const reservations = defined({ cpus: r?.cpuReservation, memory: r?.memoryReservation });
    if (!Object.keys(limits).length && !Object.keys(reservations).length) return {};
    return { deploy: { resources: { limits, reservations } } };
}

export function wordpressApp(s: WordpressSettings): AppSpec {
    const k = s.kubernetes;
    const wordpressK8s: ServiceExtension | undefined = k?.wordpressAutoscaling ? { autoscaling: k.wordpressAutoscaling } : undefined;
    const dbDataK8s: VolumeExtension | undefined = k?.dbVolumeSize !== undefined ? { size: k.dbVolumeSize } : undefined;
    return defineApp({
        name: "wordpress",
        services: {
            db: {
                image: s.dbImage,
                volumes: ["db_data:/var/lib/mysql"],
                restart: "always",
                environment: {
                    MYSQL_RANDOM_ROOT_PASSWORD: "1",
                    MYSQL_DATABASE: "wordpress",
                    MYSQL_USER: "wordpress",
                    MYSQL_PASSWORD_FILE: "/run/secrets/db_password",
                },
                secrets: ["db_password"],
                expose: [3306, 33060],
                healthcheck: {
                    test: ["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 --silent"],
                    interval: "10s",
                    timeout: "5s",
                    retries: 10,
                    startPeriod: "30s",
                },
                ...resources(s.db),
            },
            wordpress: {
                image: s.wordpressImage,
                ports: [`${s.port}:80`],
                restart: "always",
                dependsOn: { db: { condition: "service_healthy" } },
                environment: {
                    WORDPRESS_DB_HOST: "db",
                    WORDPRESS_DB_USER: "wordpress",
                    WORDPRESS_DB_PASSWORD_FILE: "/run/secrets/db_password",
                    WORDPRESS_DB_NAME: "wordpress",
                },
                secrets: ["db_password"],
                replicas: s.replicas ?? 1,
                ...resources(s.wordpress),
                ...(wordpressK8s ? { [K8S]: wordpressK8s } : {}),
            },
        },
        volumes: { db_data: dbDataK8s ? { [K8S]: dbDataK8s } : {} },
        secrets: { db_password: { content: s.dbPassword } },
    });
}
