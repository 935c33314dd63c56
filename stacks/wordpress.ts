/**
 * The environments' application: WordPress with MySQL, as in the classic Compose example, with
 * the database password delivered as a secret file (`*_FILE` variables), never as plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import { defineApp } from "../components/spec/normalize";
import { AppSpec } from "../components/spec/types";
import { ServiceInput } from "../components/spec/input";

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
            },
        },
        volumes: { db_data: {} },
        secrets: { db_password: { content: s.dbPassword } },
    });
}
